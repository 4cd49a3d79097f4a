//! Company profiles and partnerships between workspaces, and the one door
//! through which a workspace reads another's data: [`Store::partner_view`]
//! checks that the two are active partners before anything is read.
//!
//! | PK          | SK                | item |
//! |-------------|-------------------|------|
//! | `WS#{ws}`   | `COMPANY`         | the public company card |
//! | `WS#{ws}`   | `PARTNER#{other}` | this side's record of a partnership (both sides written together) |
//!
//! What a partner may read of a workspace is exactly: its company card,
//! its shared live requests, and — of each request — its own matches and
//! its own offers. Never stock, contacts or conversations.

use aws_sdk_dynamodb::types::{AttributeValue, Delete, Put, TransactWriteItem};
use cartie_domain::partners::{CompanyProfile, PartnerStatus, Partnership};

use crate::requests::{CarRequest, Offer, RequestMatch};
use crate::{decode, encode, keys, util, Store, StoreError};

fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

fn partner_sk(other: &str) -> String {
    format!("PARTNER#{other}")
}

/// What a partner sees of one shared request: the request, and its own
/// matching cars and offers.
#[derive(Debug, Clone)]
pub struct PartnerRequest {
    pub request: CarRequest,
    pub my_matches: Vec<RequestMatch>,
    pub my_offers: Vec<Offer>,
}

impl Store {
    pub async fn company(&self, ws: &str) -> Result<Option<CompanyProfile>, StoreError> {
        self.get_as(&keys::ws(ws), "COMPANY").await
    }

    pub async fn save_company(&self, ws: &str, p: &CompanyProfile) -> Result<(), StoreError> {
        let mut item = encode(p)?;
        item.insert("PK".into(), s(keys::ws(ws)));
        item.insert("SK".into(), s("COMPANY"));
        self.ddb.put_item().table_name(&self.table).set_item(Some(item)).send().await.map_err(StoreError::aws)?;
        Ok(())
    }

    pub async fn partnerships(&self, ws: &str) -> Result<Vec<Partnership>, StoreError> {
        self.query_prefix(&keys::ws(ws), "PARTNER#").await?.into_iter().map(decode).collect()
    }

    pub async fn partnership(&self, ws: &str, other: &str) -> Result<Option<Partnership>, StoreError> {
        self.get_as(&keys::ws(ws), &partner_sk(other)).await
    }

    /// The workspaces `ws` is an active partner of.
    pub async fn active_partners(&self, ws: &str) -> Result<Vec<String>, StoreError> {
        Ok(self.partnerships(ws).await?.into_iter().filter(|p| p.status == PartnerStatus::Active).map(|p| p.partner_id).collect())
    }

    /// Writes both sides of a partnership in one transaction. `expect`:
    /// this side's status it must still have (None: no record, or a
    /// declined one, may be replaced).
    pub async fn set_partnership(&self, mine: &Partnership, theirs: &Partnership, expect: Option<PartnerStatus>) -> Result<(), StoreError> {
        let mut steps = Vec::new();
        for (i, p) in [mine, theirs].into_iter().enumerate() {
            let mut item = encode(p)?;
            item.insert("PK".into(), s(keys::ws(&p.workspace_id)));
            item.insert("SK".into(), s(partner_sk(&p.partner_id)));
            let mut put = Put::builder().table_name(&self.table).set_item(Some(item));
            if i == 0 {
                put = match expect {
                    Some(st) => {
                        put.condition_expression("#st = :st").expression_attribute_names("#st", "status").expression_attribute_values(":st", s(status_word(st)))
                    }
                    None => put
                        .condition_expression("attribute_not_exists(PK) OR #st = :declined")
                        .expression_attribute_names("#st", "status")
                        .expression_attribute_values(":declined", s("declined")),
                };
            }
            steps.push((TransactWriteItem::builder().put(put.build().map_err(StoreError::aws)?).build(), "the partnership changed meanwhile; reload"));
        }
        self.transact(steps).await
    }

    /// Ends a partnership on both sides.
    pub async fn remove_partnership(&self, ws: &str, other: &str) -> Result<(), StoreError> {
        let mut steps = Vec::new();
        for (a, b) in [(ws, other), (other, ws)] {
            let d = Delete::builder().table_name(&self.table).key("PK", s(keys::ws(a))).key("SK", s(partner_sk(b))).build().map_err(StoreError::aws)?;
            steps.push((TransactWriteItem::builder().delete(d).build(), "the partnership changed meanwhile"));
        }
        self.transact(steps).await
    }

    /// `Forbidden` unless `me` and `owner` are active partners: every read of
    /// another workspace's data starts here.
    pub async fn check_partner(&self, me: &str, owner: &str) -> Result<(), StoreError> {
        match self.partnership(me, owner).await? {
            Some(p) if p.status == PartnerStatus::Active && me != owner => Ok(()),
            _ => Err(StoreError::NotFound),
        }
    }

    /// The live requests `owner` shares, as partner `me` may see them.
    pub async fn partner_requests(&self, me: &str, owner: &str) -> Result<Vec<CarRequest>, StoreError> {
        self.check_partner(me, owner).await?;
        self.live_requests(owner, true).await
    }

    /// One shared request of `owner` as partner `me` sees it: with only
    /// `me`'s matching cars and `me`'s offers.
    pub async fn partner_view(&self, me: &str, owner: &str, request_id: &str) -> Result<PartnerRequest, StoreError> {
        self.check_partner(me, owner).await?;
        let request = self.request(owner, request_id).await?.filter(|r| r.shared && r.status != cartie_domain::partners::RequestStatus::Draft);
        let Some(request) = request else { return Err(StoreError::NotFound) };
        let my_matches = self.request_matches(owner, request_id, Some(me)).await?;
        let my_offers = self.offers(owner, request_id, Some(me)).await?;
        Ok(PartnerRequest { request, my_matches, my_offers })
    }

    /// A partner's answer time: now.
    pub fn partnership_now(ws: &str, other: &str, status: PartnerStatus, by: &str) -> Partnership {
        Partnership { workspace_id: ws.into(), partner_id: other.into(), status, invited_by: by.into(), updated_at_ms: util::now_ms() }
    }
}

fn status_word(s: PartnerStatus) -> &'static str {
    match s {
        PartnerStatus::Invited => "invited",
        PartnerStatus::Pending => "pending",
        PartnerStatus::Active => "active",
        PartnerStatus::Declined => "declined",
    }
}
