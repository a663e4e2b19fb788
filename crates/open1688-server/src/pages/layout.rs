//! The frame every page shares: head, navigation, language switch, log-out; and the headers that
//! keep pages from being framed, cached or leaking their address.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use maud::{DOCTYPE, Markup, html};
use open1688_store::Scope;

use super::assets;
use super::session::Viewer;
use super::text::Lang;

/// The navigation: path, word, the scope it needs.
fn sections(viewer: &Viewer) -> Vec<(&'static str, &'static str)> {
    let t = viewer.lang.text();
    let mut items = vec![
        ("/", t.nav_overview),
        ("/search", t.nav_search),
        ("/catalog", t.nav_catalog),
        ("/source", t.nav_source),
        ("/plan", t.nav_plan),
        ("/watches", t.nav_watches),
        ("/orders", t.nav_orders),
    ];
    if viewer.key.scope >= Scope::Admin {
        items.push(("/keys", t.nav_keys));
    }
    items
}

/// Whether `path` is the section `href` (the overview only for `/` itself).
fn in_section(href: &str, here: &str) -> bool {
    let path = here.split('?').next().unwrap_or(here);
    if href == "/" { path == "/" } else { path == href || path.starts_with(&format!("{href}/")) }
}

/// The `<head>` of every page: charset, viewport, title, the style sheet.
pub(super) fn head(lang: Lang, title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · open1688" }
            link rel="stylesheet" href=(assets::STYLE_URL);
            link rel="icon" href="data:,";
            meta name="description" content=(lang.text().brand);
        }
    }
}

/// A page for a logged-in person: navigation, the language switch, the body.
pub fn page(viewer: &Viewer, title: &str, body: Markup) -> Markup {
    let t = viewer.lang.text();
    let switch = format!("/lang/{}?next={}", viewer.lang.other().tag(), encode(&viewer.here));
    html! {
        (DOCTYPE)
        html lang=(viewer.lang.tag()) {
            (head(viewer.lang, title))
            body {
                a.skip href="#main" { (t.skip_to_content) }
                header.top {
                    a.brand href="/" { (t.brand) }
                    nav aria-label="sections" {
                        ul {
                            @for (href, word) in sections(viewer) {
                                li {
                                    a href=(href) aria-current=[in_section(href, &viewer.here).then_some("page")] { (word) }
                                }
                            }
                        }
                    }
                    div.account {
                        a.lang href=(switch) lang=(viewer.lang.other().tag()) { (t.switch_to) }
                        span.who title=(viewer.key.scope.as_str()) { (viewer.key.name) }
                        form method="post" action="/logout" { button.link type="submit" { (t.log_out) } }
                    }
                }
                @if viewer.simulated { p.simulated role="note" { (t.simulated_data) } }
                main #main { (body) }
                script src=(assets::SCRIPT_URL) defer {}
            }
        }
    }
}

/// A page before logging in: no navigation.
pub fn bare_page(lang: Lang, title: &str, body: Markup) -> Markup {
    let switch = format!("/lang/{}?next=/login", lang.other().tag());
    html! {
        (DOCTYPE)
        html lang=(lang.tag()) {
            (head(lang, title))
            body.bare {
                header.top {
                    span.brand { (lang.text().brand) }
                    div.account { a.lang href=(switch) lang=(lang.other().tag()) { (lang.text().switch_to) } }
                }
                main #main { (body) }
            }
        }
    }
}

/// A page that only says something (a refusal, a failure).
pub fn message_page(viewer: &Viewer, title: &str, detail: &str) -> Markup {
    page(
        viewer,
        title,
        html! {
            section.card role="alert" {
                h1 { (title) }
                p { (detail) }
                p { a href="/" { (viewer.lang.text().back) } }
            }
        },
    )
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The headers every page answer carries: a content security policy that runs only the
/// dashboard's own script and loads pictures from anywhere (offer pictures are the platform's),
/// no framing, no referrer to other sites (page addresses carry offer ids and searches; within
/// the site the browser must still name the origin, which the form check reads), no caching.
pub async fn page_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    with_page_headers(response.headers_mut());
    response
}

/// Sets the headers every page answer carries (see [`page_headers`]).
pub(super) fn with_page_headers(headers: &mut axum::http::HeaderMap) {
    let policy = "default-src 'self'; img-src 'self' http: https: data:; style-src 'self'; script-src 'self'; \
                  connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(policy));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_current_section_is_marked_by_its_path() {
        assert!(in_section("/", "/"));
        assert!(!in_section("/", "/search?keyword=x"));
        assert!(in_section("/search", "/search?keyword=x"));
        assert!(in_section("/watches", "/watches/3"));
        assert!(!in_section("/watches", "/watchesx"));
    }
}
