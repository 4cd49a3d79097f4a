//! Car requests (B2B): what a buyer wants, its history, the cars that
//! match it (own and partners'), partners' offers and their threads.
//!
//! | PK                          | SK                          | item |
//! |-----------------------------|-----------------------------|------|
//! | `WS#{ws}`                   | `REQUEST#{id}`              | the request |
//! | `WS#{ws}#OPENREQS`          | `REQUEST#{id}`              | a copy of each live (open / offers) request, `shared` for partners |
//! | `WS#{ws}#REQLOG#{id}`       | `{ms:013}#{ulid}`           | its history |
//! | `WS#{ws}#RMATCH#{id}`       | `{car_ws}#{car_id}`         | a car that matches it, with score and reasons |
//! | `WS#{ws}#ROFFER#{id}`       | `{from_ws}#{car_id}`        | a partner's offer (one per car: a retried send finds it) |
//! | `WS#{ws}#OFFERMSG#{id}`     | `{offer}#{ms:013}#{ulid}`   | a comment in an offer's thread |
//!
//! Every key carries the requester's workspace; a partner's reads go
//! through [`crate::partners`], which checks the partnership first and
//! then reads only the partner's own slice (`begins_with` its workspace).

use aws_sdk_dynamodb::types::{AttributeValue, Delete, Put, TransactWriteItem};
use cartie_domain::b2b::{CarMatch, Wanted};
use cartie_domain::partners::{CarSummary, OfferStatus, RequestChange, RequestDetails, RequestStatus};
use serde::{Deserialize, Serialize};

use crate::stats::Deltas;
use crate::{decode, encode, keys, util, Item, Store, StoreError};

fn s(v: impl Into<String>) -> AttributeValue {
    AttributeValue::S(v.into())
}

/// A car request: the criteria, the details, where it stands.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CarRequest {
    pub workspace_id: String,
    pub id: String,
    #[serde(flatten)]
    pub wanted: Wanted,
    #[serde(flatten)]
    pub details: RequestDetails,
    pub status: RequestStatus,
    /// The buyer's conversation it came from (or is for), `{bot_id}:{chat_id}`.
    pub conversation: Option<String>,
    /// Partners see it (and may offer) while it is live.
    #[serde(default)]
    pub shared: bool,
    pub created_by: String,
    pub created_at_ms: i64,
    #[serde(default)]
    pub updated_at_ms: i64,
    /// Optimistic version.
    #[serde(default)]
    pub rev: u64,
    /// Offers received (a counter kept by the offer writes).
    #[serde(default)]
    pub offers: u32,
    #[serde(default)]
    pub accepted_offer: Option<String>,
    /// When matching last ran over every stock (None: not yet).
    #[serde(default)]
    pub matched_at_ms: Option<i64>,
}

impl CarRequest {
    /// A new request (`open` or `draft`), made now.
    pub fn new(ws: &str, id: String, wanted: Wanted, details: RequestDetails, status: RequestStatus, created_by: &str) -> CarRequest {
        let now = util::now_ms();
        CarRequest {
            workspace_id: ws.into(),
            id,
            wanted,
            details,
            status,
            conversation: None,
            shared: false,
            created_by: created_by.into(),
            created_at_ms: now,
            updated_at_ms: now,
            rev: 0,
            offers: 0,
            accepted_offer: None,
            matched_at_ms: None,
        }
    }

    /// The buyer it came from: the chat of a private conversation.
    pub fn buyer(&self) -> Option<i64> {
        let (_, chat) = self.conversation.as_deref()?.split_once(':')?;
        chat.parse::<i64>().ok().filter(|c| *c > 0)
    }

    /// "Toyota RAV4 2019–2021" for notices.
    pub fn label(&self) -> String {
        let w = &self.wanted;
        let mut out = w.make.clone();
        if let Some(m) = &w.model {
            out = format!("{out} {m}");
        }
        match (w.year_from, w.year_to) {
            (Some(a), Some(b)) if a == b => format!("{out} {a}"),
            (Some(a), Some(b)) => format!("{out} {a}–{b}"),
            (Some(a), None) => format!("{out} {a}+"),
            (None, Some(b)) => format!("{out} ≤{b}"),
            (None, None) => out,
        }
    }
}

/// One entry of a request's history.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RequestEvent {
    pub at_ms: i64,
    pub by: String,
    pub change: RequestChange,
}

/// A car that matches a request.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RequestMatch {
    pub request_ws: String,
    pub request_id: String,
    /// The workspace whose stock holds the car (the requester's own, or a partner's).
    pub car_ws: String,
    pub car_id: String,
    pub car: CarSummary,
    #[serde(flatten)]
    pub result: CarMatch,
    pub found_at_ms: i64,
}

/// A partner's offer of one of its cars.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Offer {
    pub request_ws: String,
    pub request_id: String,
    pub id: String,
    pub from_ws: String,
    pub from_name: String,
    pub car_id: String,
    pub car: CarSummary,
    pub price: i64,
    pub currency: String,
    pub status: OfferStatus,
    pub created_by: String,
    pub created_at_ms: i64,
    #[serde(default)]
    pub updated_at_ms: i64,
}

/// A comment in an offer's thread.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct OfferComment {
    pub offer_id: String,
    pub from_ws: String,
    pub author: String,
    pub text: String,
    pub at_ms: i64,
}

fn open_pk(ws: &str) -> String {
    format!("{}#OPENREQS", keys::ws(ws))
}
fn log_pk(ws: &str, id: &str) -> String {
    format!("{}#REQLOG#{id}", keys::ws(ws))
}
fn match_pk(ws: &str, id: &str) -> String {
    format!("{}#RMATCH#{id}", keys::ws(ws))
}
fn offer_pk(ws: &str, id: &str) -> String {
    format!("{}#ROFFER#{id}", keys::ws(ws))
}
fn comment_pk(ws: &str, id: &str) -> String {
    format!("{}#OFFERMSG#{id}", keys::ws(ws))
}

fn put(table: &str, item: Item, cond: Option<(&str, Option<u64>)>) -> Result<TransactWriteItem, StoreError> {
    let mut p = Put::builder().table_name(table).set_item(Some(item));
    if let Some((c, rev)) = cond {
        p = p.condition_expression(c);
        if let Some(r) = rev {
            p = p.expression_attribute_values(":rev", AttributeValue::N(r.to_string()));
        }
    }
    Ok(TransactWriteItem::builder().put(p.build().map_err(StoreError::aws)?).build())
}

fn offer_word(s: OfferStatus) -> &'static str {
    match s {
        OfferStatus::Sent => "sent",
        OfferStatus::Accepted => "accepted",
        OfferStatus::Declined => "declined",
        OfferStatus::Closed => "closed",
    }
}

fn keyed(mut item: Item, pk: String, sk: String) -> Item {
    item.insert("PK".into(), s(pk));
    item.insert("SK".into(), s(sk));
    item
}

impl Store {
    /// The writes that store `r` (over `before`, if any): the request, its
    /// live copy, a history entry, and the dashboard's counters (`extra`
    /// added to them).
    fn request_writes(
        &self,
        before: Option<&CarRequest>,
        r: &CarRequest,
        cond: (&str, Option<u64>),
        change: Option<(&str, RequestChange)>,
        extra: Deltas,
    ) -> Result<Vec<crate::Step>, StoreError> {
        let item = encode(r)?;
        let mut steps = vec![(
            put(&self.table, keyed(item.clone(), keys::ws(&r.workspace_id), keys::request(&r.id)), Some(cond))?,
            "the request changed meanwhile; reload it",
        )];
        if r.status.is_live() {
            steps.push((put(&self.table, keyed(item, open_pk(&r.workspace_id), keys::request(&r.id)), None)?, "the request changed meanwhile"));
        } else {
            let d = Delete::builder()
                .table_name(&self.table)
                .key("PK", s(open_pk(&r.workspace_id)))
                .key("SK", s(keys::request(&r.id)))
                .build()
                .map_err(StoreError::aws)?;
            steps.push((TransactWriteItem::builder().delete(d).build(), "the request changed meanwhile"));
        }
        if let Some((by, change)) = change {
            let e = RequestEvent { at_ms: util::now_ms(), by: by.to_string(), change };
            let sk = format!("{:013}#{}", e.at_ms, util::new_id());
            steps.push((put(&self.table, keyed(encode(&e)?, log_pk(&r.workspace_id, &r.id), sk), None)?, "the request changed meanwhile"));
        }
        let live = |x: Option<&CarRequest>| i64::from(x.is_some_and(|x| x.status.is_live()));
        let d = Deltas(extra.0).add("requests_live", live(Some(r)) - live(before));
        if let Some(w) = self.totals_write(&r.workspace_id, &d)? {
            steps.push((w, "the request changed meanwhile"));
        }
        Ok(steps)
    }

    /// Stores a new request with its first history entry; one that exists
    /// already (a retried scenario step with the same id) is left as it is.
    /// A request for a buyer's chat is marked open on the buyer's contact
    /// too (also on a retry: the mark is an idempotent set add).
    pub async fn create_request(&self, r: &CarRequest) -> Result<(), StoreError> {
        let steps = self.request_writes(None, r, ("attribute_not_exists(PK)", None), Some((&r.created_by, RequestChange::Created)), Deltas::default())?;
        match self.transact(steps).await {
            Ok(()) | Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e),
        }
        self.mark_buyer(r).await
    }

    async fn mark_buyer(&self, r: &CarRequest) -> Result<(), StoreError> {
        match r.buyer() {
            Some(user) => self.mark_contact_request(&r.workspace_id, user, &r.id, r.status.is_live()).await,
            None => Ok(()),
        }
    }

    /// Replaces the request `old` (still at its `rev`) with `next` (stored
    /// at `rev + 1`), with a history entry; `Conflict` when it changed
    /// meanwhile.
    pub async fn save_request(&self, old: &CarRequest, next: CarRequest, by: &str, change: Option<RequestChange>) -> Result<CarRequest, StoreError> {
        let next = CarRequest { rev: old.rev + 1, updated_at_ms: util::now_ms(), ..next };
        self.transact(self.request_writes(
            Some(old),
            &next,
            ("attribute_exists(PK) AND rev = :rev", Some(old.rev)),
            change.map(|c| (by, c)),
            Deltas::default(),
        )?)
        .await?;
        self.mark_buyer(&next).await?;
        Ok(next)
    }

    pub async fn request(&self, ws: &str, id: &str) -> Result<Option<CarRequest>, StoreError> {
        self.get_as(&keys::ws(ws), &keys::request(id)).await
    }

    /// The workspace's requests, newest first (ULID ids).
    pub async fn requests(&self, ws: &str) -> Result<Vec<CarRequest>, StoreError> {
        let mut v: Vec<CarRequest> = self.query_prefix(&keys::ws(ws), keys::REQUEST_PREFIX).await?.into_iter().map(decode).collect::<Result<_, _>>()?;
        v.sort_by(|a, b| b.id.cmp(&a.id));
        Ok(v)
    }

    /// Live requests only (open or with offers): what new stock is matched
    /// against. `shared_only` for a partner's view.
    pub async fn live_requests(&self, ws: &str, shared_only: bool) -> Result<Vec<CarRequest>, StoreError> {
        let mut v: Vec<CarRequest> = self.query_prefix(&open_pk(ws), keys::REQUEST_PREFIX).await?.into_iter().map(decode).collect::<Result<_, _>>()?;
        v.retain(|r| r.status.is_live() && (r.shared || !shared_only));
        v.sort_by(|a, b| b.id.cmp(&a.id));
        Ok(v)
    }

    pub async fn request_history(&self, ws: &str, id: &str) -> Result<Vec<RequestEvent>, StoreError> {
        self.query_prefix(&log_pk(ws, id), "").await?.into_iter().map(decode).collect()
    }

    // ---- matches -------------------------------------------------------------

    /// Records a match; `true` when the car was not matched before (the
    /// owner hears of new ones only).
    pub async fn put_match(&self, m: &RequestMatch) -> Result<bool, StoreError> {
        let pk = match_pk(&m.request_ws, &m.request_id);
        let sk = format!("{}#{}", m.car_ws, m.car_id);
        let out = self
            .ddb
            .put_item()
            .table_name(&self.table)
            .set_item(Some(keyed(encode(m)?, pk, sk)))
            .return_values(aws_sdk_dynamodb::types::ReturnValue::AllOld)
            .send()
            .await
            .map_err(StoreError::aws)?;
        Ok(out.attributes.is_none_or(|a| a.is_empty()))
    }

    pub async fn match_exists(&self, request_ws: &str, request_id: &str, car_ws: &str, car_id: &str) -> Result<bool, StoreError> {
        Ok(self.get(&match_pk(request_ws, request_id), &format!("{car_ws}#{car_id}")).await?.is_some())
    }

    pub async fn delete_match(&self, request_ws: &str, request_id: &str, car_ws: &str, car_id: &str) -> Result<(), StoreError> {
        self.ddb
            .delete_item()
            .table_name(&self.table)
            .key("PK", s(match_pk(request_ws, request_id)))
            .key("SK", s(format!("{car_ws}#{car_id}")))
            .send()
            .await
            .map_err(StoreError::aws)?;
        Ok(())
    }

    /// A request's matches; `car_ws` limits them to one stock's (a
    /// partner reads only its own cars).
    pub async fn request_matches(&self, request_ws: &str, request_id: &str, car_ws: Option<&str>) -> Result<Vec<RequestMatch>, StoreError> {
        let prefix = car_ws.map(|w| format!("{w}#")).unwrap_or_default();
        let mut v: Vec<RequestMatch> =
            self.query_prefix(&match_pk(request_ws, request_id), &prefix).await?.into_iter().map(decode).collect::<Result<_, _>>()?;
        v.sort_by(|a, b| b.result.score.cmp(&a.result.score).then(a.car.price.cmp(&b.car.price)).then(a.car_id.cmp(&b.car_id)));
        Ok(v)
    }

    /// Marks a request as matched over every stock now.
    pub async fn mark_matched(&self, ws: &str, id: &str) -> Result<(), StoreError> {
        let now = AttributeValue::N(util::now_ms().to_string());
        for pk in [keys::ws(ws), open_pk(ws)] {
            let res = self
                .ddb
                .update_item()
                .table_name(&self.table)
                .key("PK", s(pk))
                .key("SK", s(keys::request(id)))
                .update_expression("SET matched_at_ms = :now")
                .condition_expression("attribute_exists(PK)")
                .expression_attribute_values(":now", now.clone())
                .send()
                .await;
            match res {
                Ok(_) => {}
                Err(e) if e.as_service_error().is_some_and(|x| x.is_conditional_check_failed_exception()) => {}
                Err(e) => return Err(StoreError::aws(e)),
            }
        }
        Ok(())
    }

    // ---- offers --------------------------------------------------------------

    /// Stores a partner's offer, counts it on the request and moves an open
    /// request to `offers`, in one transaction. An offer of the same car
    /// sent before is returned as it was (`false`: nothing new).
    pub async fn create_offer(&self, r: &CarRequest, o: &Offer) -> Result<(Offer, bool), StoreError> {
        let pk = offer_pk(&o.request_ws, &o.request_id);
        let sk = format!("{}#{}", o.from_ws, o.car_id);
        if let Some(before) = self.get_as::<Offer>(&pk, &sk).await? {
            return Ok((before, false));
        }
        let next = CarRequest {
            offers: r.offers + 1,
            status: if r.status == RequestStatus::Open { RequestStatus::Offers } else { r.status },
            rev: r.rev + 1,
            updated_at_ms: util::now_ms(),
            ..r.clone()
        };
        let mut steps = self.request_writes(
            Some(r),
            &next,
            ("attribute_exists(PK) AND rev = :rev", Some(r.rev)),
            Some((&o.created_by, RequestChange::OfferReceived { partner: o.from_name.clone() })),
            Deltas::default().add("offers_new", 1),
        )?;
        steps.push((put(&self.table, keyed(encode(o)?, pk.clone(), sk.clone()), Some(("attribute_not_exists(PK)", None)))?, "this car was offered already"));
        match self.transact(steps).await {
            Ok(()) => Ok((o.clone(), true)),
            // A retry that lost the race to itself: the first one stands.
            Err(StoreError::Conflict(c)) => match self.get_as::<Offer>(&pk, &sk).await? {
                Some(before) => Ok((before, false)),
                None => Err(StoreError::Conflict(c)),
            },
            Err(e) => Err(e),
        }
    }

    /// A request's offers; `from_ws` limits them to one partner's.
    pub async fn offers(&self, request_ws: &str, request_id: &str, from_ws: Option<&str>) -> Result<Vec<Offer>, StoreError> {
        let prefix = from_ws.map(|w| format!("{w}#")).unwrap_or_default();
        let mut v: Vec<Offer> = self.query_prefix(&offer_pk(request_ws, request_id), &prefix).await?.into_iter().map(decode).collect::<Result<_, _>>()?;
        v.sort_by(|a, b| a.created_at_ms.cmp(&b.created_at_ms).then(a.id.cmp(&b.id)));
        Ok(v)
    }

    /// Sets an offer's status (and, when `request` is given as the request
    /// read and what it becomes, saves it in the same transaction:
    /// accepting wins it).
    pub async fn answer_offer(
        &self,
        o: &Offer,
        status: OfferStatus,
        request: Option<(&CarRequest, CarRequest, &str, RequestChange)>,
    ) -> Result<(), StoreError> {
        let next = Offer { status, updated_at_ms: util::now_ms(), ..o.clone() };
        let item = keyed(encode(&next)?, offer_pk(&o.request_ws, &o.request_id), format!("{}#{}", o.from_ws, o.car_id));
        // Only over the offer as read: an answer counts once.
        let p = Put::builder()
            .table_name(&self.table)
            .set_item(Some(item))
            .condition_expression("attribute_exists(PK) AND #st = :was")
            .expression_attribute_names("#st", "status")
            .expression_attribute_values(":was", s(offer_word(o.status)));
        let mut steps = vec![(TransactWriteItem::builder().put(p.build().map_err(StoreError::aws)?).build(), "the offer was answered meanwhile")];
        let unanswered = Deltas::default().add("offers_new", i64::from(status == OfferStatus::Sent) - i64::from(o.status == OfferStatus::Sent));
        match request {
            Some((r, next, by, change)) => {
                let next = CarRequest { rev: r.rev + 1, updated_at_ms: util::now_ms(), ..next };
                steps.extend(self.request_writes(Some(r), &next, ("attribute_exists(PK) AND rev = :rev", Some(r.rev)), Some((by, change)), unanswered)?);
            }
            None => {
                if let Some(w) = self.totals_write(&o.request_ws, &unanswered)? {
                    steps.push((w, "the offer was answered meanwhile"));
                }
            }
        }
        self.transact(steps).await
    }

    pub async fn add_offer_comment(&self, request_ws: &str, request_id: &str, c: &OfferComment) -> Result<(), StoreError> {
        let sk = format!("{}#{:013}#{}", c.offer_id, c.at_ms, util::new_id());
        self.ddb
            .put_item()
            .table_name(&self.table)
            .set_item(Some(keyed(encode(c)?, comment_pk(request_ws, request_id), sk)))
            .send()
            .await
            .map_err(StoreError::aws)?;
        Ok(())
    }

    /// An offer's thread, oldest first.
    pub async fn offer_comments(&self, request_ws: &str, request_id: &str, offer_id: &str) -> Result<Vec<OfferComment>, StoreError> {
        self.query_prefix(&comment_pk(request_ws, request_id), &format!("{offer_id}#")).await?.into_iter().map(decode).collect()
    }
}
