//! `api-telegram`: the Telegram hub — connect a bot by token (checked with
//! `getMe`, webhook set with a fresh secret), change its auto-reply, and
//! disconnect it (webhook removed). Tokens are sealed at rest. And the
//! dealer's own Telegram accounts (`accounts`): login, state, channels.

mod accounts;

use cartie_apikit::dto::{BotList, BotMenuView, BotView, ConnectBotRequest};
use cartie_apikit::ops::TelegramOp;
use cartie_apikit::{authorize, http::no_content, json, json_status, ApiError, App, Body, Ctx, Request, Response, StatusCode};
use cartie_domain::botmenu::{check_menu, BotMenu, MenuButtonKind};
use cartie_domain::Language;
use cartie_store::{inbox::BotRecord, util, StoreError};
use cartie_telegram::TgError;

pub async fn handler(app: &App, req: Request) -> Response<Body> {
    let res = match authorize::<TelegramOp>(app, &req).await {
        Ok(ctx) => route(app, ctx).await,
        Err(e) => Err(e),
    };
    res.unwrap_or_else(ApiError::into_response)
}

async fn route(app: &App, ctx: Ctx<TelegramOp>) -> Result<Response<Body>, ApiError> {
    match &ctx.op {
        TelegramOp::ListBots {} => {
            let mut bots = app.store.bots(ctx.ws()?).await?;
            bots.sort_by_key(|b| b.connected_at_ms);
            json(&BotList { bots: bots.iter().map(BotView::from).collect() })
        }
        TelegramOp::ConnectBot { body } => connect(app, &ctx, body).await,
        TelegramOp::UpdateBot { bot_id, body } => {
            let mut changes = vec![("auto_reply", Language::En, body.auto_reply.as_deref())];
            if let Some(uk) = &body.auto_reply_uk {
                changes.push(("auto_reply_uk", Language::Uk, uk.as_deref()));
            }
            for (field, _, text) in &changes {
                if text.map(str::trim).is_some_and(|t| t.chars().count() > cartie_domain::inbox::MAX_TEXT) {
                    return Err(ApiError::invalid(*field, "Telegram allows at most 4096 characters"));
                }
            }
            for (_, lang, text) in changes {
                let text = text.map(str::trim).filter(|t| !t.is_empty());
                app.store.set_auto_reply(ctx.ws()?, *bot_id, lang, text).await.map_err(not_found)?;
            }
            let bot = app.store.bot(ctx.ws()?, *bot_id).await?.ok_or_else(|| ApiError::not_found("no such bot"))?;
            json(&BotView::from(&bot))
        }
        TelegramOp::DisconnectBot { bot_id } => {
            let ws = ctx.ws()?;
            let bot = app.store.bot(ws, *bot_id).await?.ok_or_else(|| ApiError::not_found("no such bot"))?;
            if let Ok(token) = app.data_key.open(&bot.token_sealed) {
                // A revoked token cannot remove its webhook; disconnect anyway.
                if let Err(e) = app.telegram.delete_webhook(&token).await {
                    tracing::warn!(bot_id = bot.bot_id, error = %e, "could not remove the webhook");
                }
            }
            app.store.disconnect_bot(ws, bot.bot_id).await?;
            no_content()
        }
        TelegramOp::GetBotMenu { bot_id } => {
            let ws = ctx.ws()?;
            let bot = app.store.bot(ws, *bot_id).await?.ok_or_else(|| ApiError::not_found("no such bot"))?;
            let (menu, applied) = app.store.bot_menu(ws, bot.bot_id).await?.unwrap_or_default();
            json(&menu_view(app, ws, bot.bot_id, menu, applied).await?)
        }
        TelegramOp::SaveBotMenu { bot_id, body } => save_menu(app, &ctx, *bot_id, body).await,
        TelegramOp::ListTelegramAccounts {} => accounts::list(app, &ctx).await,
        TelegramOp::ConnectTelegramAccount { body } => accounts::connect(app, &ctx, body).await,
        TelegramOp::SubmitTelegramCode { account_id, body } => accounts::code(app, &ctx, account_id, body).await,
        TelegramOp::SubmitTelegramPassword { account_id, body } => accounts::password(app, &ctx, account_id, body).await,
        TelegramOp::ResendTelegramCode { account_id } => accounts::resend(app, &ctx, account_id).await,
        TelegramOp::RemoveTelegramAccount { account_id } => accounts::remove(app, &ctx, account_id).await,
        TelegramOp::ListTelegramChannels { account_id } => accounts::channels(app, &ctx, account_id).await,
        TelegramOp::SetTelegramChannelSource { account_id, channel_id, body } => accounts::set_source(app, &ctx, account_id, *channel_id, body.source).await,
    }
}

/// The Mini App address a `web_app` menu button opens.
async fn miniapp_url(app: &App, ws: &str) -> Result<Option<String>, ApiError> {
    let slug = app.store.workspace(ws).await?.map(|w| w.slug);
    Ok(match (&app.public_url, slug) {
        (Some(base), Some(slug)) => Some(format!("{}/m/{slug}", base.trim_end_matches('/'))),
        _ => None,
    })
}

async fn menu_view(app: &App, ws: &str, bot_id: i64, menu: BotMenu, applied_at_ms: Option<i64>) -> Result<BotMenuView, ApiError> {
    Ok(BotMenuView { bot_id, menu, applied_at: applied_at_ms.map(util::rfc3339), miniapp_url: miniapp_url(app, ws).await? })
}

/// Checks the menu, applies it in Telegram, then stores it: what is stored
/// is what the buyer sees. A refusal from Telegram stores nothing.
async fn save_menu(app: &App, ctx: &Ctx<TelegramOp>, bot_id: i64, body: &BotMenu) -> Result<Response<Body>, ApiError> {
    let menu = check_menu(body)?;
    let ws = ctx.ws()?;
    let bot = app.store.bot(ws, bot_id).await?.ok_or_else(|| ApiError::not_found("no such bot"))?;
    let token = app.data_key.open(&bot.token_sealed).map_err(ApiError::internal)?;
    let button = match menu.menu_button.kind {
        MenuButtonKind::Default => None,
        MenuButtonKind::Commands => Some(None),
        MenuButtonKind::WebApp => {
            let url =
                miniapp_url(app, ws).await?.ok_or_else(|| ApiError::unavailable("CARTIE_PUBLIC_URL is not configured, so there is no Mini App address"))?;
            Some(Some((menu.menu_button.text.clone(), url)))
        }
        MenuButtonKind::Url => Some(Some((menu.menu_button.text.clone(), menu.menu_button.url.clone()))),
    };
    let commands: Vec<(String, String)> = menu.commands.iter().map(|c| (c.command.clone(), c.description.clone())).collect();
    let telegram = |e: TgError| match e {
        TgError::InvalidToken => ApiError::new(StatusCode::CONFLICT, "bot_token_revoked", "Telegram no longer accepts this bot's token; reconnect the bot"),
        other => ApiError::new(StatusCode::BAD_GATEWAY, "telegram_error", format!("Telegram did not accept the menu: {other}")),
    };
    app.telegram.set_commands(&token, &commands).await.map_err(telegram)?;
    app.telegram.set_menu_button(&token, button).await.map_err(telegram)?;
    let applied = util::now_ms();
    app.store.save_bot_menu(ws, bot.bot_id, &menu, Some(applied)).await?;
    json(&menu_view(app, ws, bot.bot_id, menu, Some(applied)).await?)
}

fn not_found(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound => ApiError::not_found("no such bot"),
        other => other.into(),
    }
}

/// `123456789:AA...` — digits, a colon, then 30+ of `A-Z a-z 0-9 _ -`.
pub fn token_looks_valid(token: &str) -> bool {
    match token.split_once(':') {
        Some((id, secret)) => {
            !id.is_empty()
                && id.len() <= 20
                && id.bytes().all(|b| b.is_ascii_digit())
                && (30..=100).contains(&secret.len())
                && secret.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        }
        None => false,
    }
}

async fn connect(app: &App, ctx: &Ctx<TelegramOp>, body: &ConnectBotRequest) -> Result<Response<Body>, ApiError> {
    let token = body.token.trim();
    if !token_looks_valid(token) {
        return Err(ApiError::invalid("token", "a bot token looks like 123456789:AAH... (copy it from @BotFather)"));
    }
    let public_url =
        app.public_url.clone().ok_or_else(|| ApiError::unavailable("CARTIE_PUBLIC_URL is not configured, so Telegram cannot reach this deployment"))?;
    let profile = app.telegram.get_me(token).await.map_err(|e| match e {
        TgError::InvalidToken => ApiError::invalid("token", "Telegram does not accept this token: check it in @BotFather"),
        TgError::Network(m) => ApiError::new(StatusCode::BAD_GATEWAY, "telegram_unreachable", format!("Telegram is unreachable: {m}")),
        other => ApiError::new(StatusCode::BAD_GATEWAY, "telegram_error", other.to_string()),
    })?;
    let ws = ctx.ws()?;
    if let Some(route) = app.store.bot_route(profile.id).await? {
        if route.workspace_id != ws {
            return Err(ApiError::conflict("this bot is connected to another workspace; disconnect it there first").field("token"));
        }
    }
    let existing = app.store.bot(ws, profile.id).await?;
    let secret = util::random_token();
    let webhook_url = format!("{public_url}/tg/{}", profile.id);
    app.telegram
        .set_webhook(token, &webhook_url, &secret)
        .await
        .map_err(|e| ApiError::new(StatusCode::BAD_GATEWAY, "telegram_error", format!("Telegram did not accept the webhook: {e}")))?;
    let bot = BotRecord {
        workspace_id: ws.to_string(),
        bot_id: profile.id,
        username: profile.username,
        first_name: profile.first_name,
        token_sealed: app.data_key.seal(token),
        webhook_url,
        auto_reply: existing.as_ref().and_then(|b| b.auto_reply.clone()),
        auto_reply_uk: existing.and_then(|b| b.auto_reply_uk),
        connected_by: ctx.caller()?.email.clone(),
        connected_at_ms: util::now_ms(),
    };
    let secret_hash = util::sha256_hex(&secret);
    app.store.connect_bot(&bot, &secret_hash).await.map_err(|e| ApiError::from(e).field("token"))?;
    tracing::info!(bot_id = bot.bot_id, workspace = ws, "bot connected");
    json_status(StatusCode::CREATED, &BotView::from(&bot))
}

#[cfg(test)]
mod tests {
    #[test]
    fn token_shapes() {
        assert!(super::token_looks_valid("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"));
        for bad in ["", "123", "abc:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", "123:short", "123:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDs w"] {
            assert!(!super::token_looks_valid(bad), "{bad}");
        }
    }
}
