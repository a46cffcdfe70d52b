use lapor_core::Status;
use leptos::prelude::*;

use crate::app::link;
use leptos_router::components::A;

use crate::app::{InstanceResource, use_page_title};
use crate::components::later::Later;
use crate::components::tracking_form::TrackingForm;
use crate::i18n::labels::status_text;
use crate::i18n::{fill, tr, use_i18n};
use lapor_core::api::Channel;

/// Where a channel leads: its own link, else from its kind — `sms:`, `tel:`, `mailto:`, a
/// WhatsApp chat (`https://wa.me/` and the number in international form: a phone's dialler
/// cannot open WhatsApp) or a Telegram account (`https://t.me/`).
pub fn channel_href(channel: &Channel) -> String {
    if let Some(link) = channel.link.as_ref().filter(|l| !l.is_empty()) {
        return link.clone();
    }
    let value = channel.value.trim();
    let digits: String = value
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    match channel.kind.as_str() {
        "sms" => format!("sms:{digits}"),
        "phone" => format!("tel:{digits}"),
        "whatsapp" => format!("https://wa.me/{}", international_digits(&digits)),
        "telegram" => match value.strip_prefix('@') {
            Some(account) => format!("https://t.me/{account}"),
            None if value.starts_with("https://") => value.to_owned(),
            None => format!("https://t.me/{value}"),
        },
        "email" => format!("mailto:{value}"),
        _ => channel.value.clone(),
    }
}

/// A number as wa.me wants it: digits only, with the country code (an Indonesian `08…`
/// becomes `628…`).
fn international_digits(number: &str) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix('0') {
        Some(national) if !number.starts_with('+') => format!("62{national}"),
        _ => digits,
    }
}

/// The three things people come for, how the process works, and the other channels.
#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    use_page_title(|t| (t.nav_home, t.desc_home));
    let instance = expect_context::<InstanceResource>();
    let channels = move || {
        instance.get().and_then(Result::ok).map(|instance| {
            instance
                .channels
                .into_iter()
                .map(|c| view! { <li><a href=channel_href(&c)>{format!("{}: {}", c.label, c.value)}</a></li> })
                .collect_view()
        })
    };
    let sla = move || {
        let sla = instance
            .get()
            .and_then(Result::ok)
            .map(|i| i.sla)
            .unwrap_or_default();
        let t = i18n.t();
        let n = |v: u32| v.to_string();
        let r = sla.resolution;
        view! {
            <ul class="sla">
                <li>{fill(t.home_sla_verify, &[("n", &n(sla.verification_days))])}</li>
                <li>{fill(t.home_sla_follow_up, &[("n", &n(sla.follow_up_days))])}</li>
                <li>{fill(t.home_sla_targets, &[
                    ("info", &n(r.information_request)),
                    ("asp", &n(r.aspiration)),
                    ("comp", &n(r.complaint)),
                    ("field", &n(r.complaint_field_inspection)),
                ])}</li>
            </ul>
            <p class="hint">{t.home_sla_working_days}</p>
        }
    };
    // Saved reports that changed since the citizen last looked (`crate::updates`).
    let updates = crate::updates::use_updates();
    let updated = move || {
        let marked = updates.marked.get();
        (!marked.is_empty()).then(|| {
            let t = i18n.t();
            view! {
                <section class="notice updates" aria-labelledby="updates-heading">
                    <h2 id="updates-heading">
                        <span class="badge">{t.mine_updated}</span>" "
                        {fill(t.home_updated, &[("n", &marked.len().to_string())])}
                    </h2>
                    <ul>
                        {marked.into_iter().map(|r| {
                            let href = format!("/lacak/{}", crate::api::encode(&r.tracking_id));
                            let status = r.last_status.as_deref().map(Status::from_code);
                            view! {
                                <li class="updated-report">
                                    <A href=link(&href) attr:class="tracking-number">{r.tracking_id.clone()}</A>
                                    ": "{status.map(|s| status_text(t, &s))}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <A href=link("/laporan-saya")>{t.nav_mine}</A>
                </section>
            }
        })
    };
    view! {
        <section class="hero">
            <h1 tabindex="-1">{tr(|t| t.home_title)}</h1>
            <p class="lead">{tr(|t| t.home_lead)}</p>
        </section>
        {updated}
        <Later>
        <div class="cards">
            <section class="card">
                <h2>{tr(|t| t.home_report_cta)}</h2>
                <p>{tr(|t| t.home_report_hint)}</p>
                <A href=link("/lapor") attr:class="button button--primary">{tr(|t| t.home_report_cta)}</A>
            </section>
            <section class="card">
                <h2>{tr(|t| t.home_track_heading)}</h2>
                <TrackingForm id="home-tracking"/>
            </section>
            <section class="card">
                <h2>{tr(|t| t.nav_reports)}</h2>
                <p>{tr(|t| t.home_reports_hint)}</p>
                <A href=link("/laporan")>{tr(|t| t.nav_reports)}</A>
            </section>
            <section class="card">
                <h2>{tr(|t| t.home_faq_heading)}</h2>
                <p>{tr(|t| t.home_faq_hint)}</p>
                <A href=link("/faq")>{tr(|t| t.nav_faq)}</A>
            </section>
        </div>
        </Later>
        <Later>
        <section>
            <h2>{tr(|t| t.home_how_heading)}</h2>
            <ol class="steps">
                {move || {
                    let t = i18n.t();
                    Status::LIFECYCLE.iter().map(|s| view! { <li>{status_text(t, s)}</li> }).collect_view()
                }}
            </ol>
            {sla}
        </section>
        <section id="channels">
            <h2>{tr(|t| t.home_channels_heading)}</h2>
            <ul class="channels">{channels}</ul>
        </section>
        </Later>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channel(kind: &str, value: &str, link: Option<&str>) -> Channel {
        Channel {
            kind: kind.into(),
            label: kind.into(),
            value: value.into(),
            link: link.map(Into::into),
        }
    }

    #[test]
    fn channels_become_sms_tel_and_mail_links() {
        assert_eq!(channel_href(&channel("sms", "1708", None)), "sms:1708");
        assert_eq!(
            channel_href(&channel("phone", "(0294) 381-234", None)),
            "tel:0294381234"
        );
        assert_eq!(
            channel_href(&channel("email", " lapor@kendalkab.go.id", None)),
            "mailto:lapor@kendalkab.go.id"
        );
        assert_eq!(
            channel_href(&channel(
                "twitter",
                "@lapor1708",
                Some("https://x.com/lapor1708")
            )),
            "https://x.com/lapor1708"
        );
    }

    #[test]
    fn whatsapp_and_telegram_open_their_apps_not_the_dialler() {
        assert_eq!(
            channel_href(&channel("whatsapp", "0812-2500-1708", None)),
            "https://wa.me/6281225001708"
        );
        assert_eq!(
            channel_href(&channel("whatsapp", "+62 812 2500 1708", None)),
            "https://wa.me/6281225001708"
        );
        assert_eq!(
            channel_href(&channel("telegram", "@lapor1708", None)),
            "https://t.me/lapor1708"
        );
        assert_eq!(
            channel_href(&channel("telegram", "https://t.me/lapor1708", None)),
            "https://t.me/lapor1708"
        );
    }
}
