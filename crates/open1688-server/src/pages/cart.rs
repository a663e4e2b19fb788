//! The plan cart: what a person picked from an answer, a comparison or an offer's SKUs, kept per
//! key in the store (see [`open1688_store::plan_carts`]) until it is previewed and placed from
//! the plan page. Every change needs a `write` key and comes back to the plan page, which says
//! what happened.

use axum::Form;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use open1688_store::{CartAdd, MAX_CART_LINES, Scope};
use serde::Deserialize;

use super::layout::message_page;
use super::plan_form::PlanForm;
use super::session::Viewer;
use super::text::Text;
use super::trouble::Trouble;
use crate::state::ServiceState;

/// What the plan page says after a change to the cart (`/plan?cart=…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CartNotice {
    /// A line was added.
    Added,
    /// A line already there took the new quantity.
    Replaced,
    /// Several lines were added from a split or typed lines.
    Imported,
    /// The cart is full: nothing was added.
    Full,
    /// A quantity was changed.
    Updated,
    /// A line was removed.
    Removed,
    /// The cart was emptied.
    Cleared,
}

impl CartNotice {
    /// The notice's name in the plan page's address.
    pub fn key(self) -> &'static str {
        match self {
            Self::Added => "added",
            Self::Replaced => "replaced",
            Self::Imported => "imported",
            Self::Full => "full",
            Self::Updated => "updated",
            Self::Removed => "removed",
            Self::Cleared => "cleared",
        }
    }

    /// The notice named `key`, if it is one.
    pub fn parse(key: &str) -> Option<Self> {
        [Self::Added, Self::Replaced, Self::Imported, Self::Full, Self::Updated, Self::Removed, Self::Cleared]
            .into_iter()
            .find(|n| n.key() == key)
    }

    /// The notice in the reader's language.
    pub fn render(self, t: &Text) -> Markup {
        let (text, class) = match self {
            Self::Added => (t.cart_added, "ok-text"),
            Self::Replaced => (t.cart_replaced, "ok-text"),
            Self::Imported => (t.cart_imported, "ok-text"),
            Self::Full => (t.cart_full, "error-text"),
            Self::Updated => (t.cart_updated, "ok-text"),
            Self::Removed => (t.cart_removed, "ok-text"),
            Self::Cleared => (t.cart_cleared, "ok-text"),
        };
        html! { p #cart-notice class=(class) role="status" { (text) @if self == Self::Full { " " (MAX_CART_LINES) } } }
    }
}

/// Back to the plan page, saying what happened (303: the browser asks for it with GET).
fn to_plan(notice: CartNotice) -> Response {
    Redirect::to(&format!("/plan?cart={}#cart", notice.key())).into_response()
}

/// A line of the cart as a form sends it: the offer, the SKU (empty: none) and the quantity.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CartLineForm {
    offer: String,
    sku: String,
    quantity: String,
}

/// A line that parsed: offer, SKU, quantity.
type Line = (i64, Option<i64>, i64);

impl CartLineForm {
    /// The line, or what was wrong with it in the reader's language (the field's label first).
    fn parse(&self, t: &Text, quantity_needed: bool) -> Result<Line, String> {
        let positive = |text: &str| text.trim().parse::<i64>().ok().filter(|v| *v > 0);
        let offer = positive(&self.offer).ok_or_else(|| format!("{}: {}", t.offer_id, t.not_a_positive_number))?;
        let sku = match self.sku.trim() {
            "" => None,
            text => Some(positive(text).ok_or_else(|| format!("SKU: {}", t.not_a_positive_number))?),
        };
        let quantity = match positive(&self.quantity) {
            Some(q) if q <= open1688_jobs::MAX_UNITS => q,
            _ if !quantity_needed => 1,
            _ => return Err(format!("{}: {} (1–{})", t.quantity, t.not_a_positive_number, open1688_jobs::MAX_UNITS)),
        };
        Ok((offer, sku, quantity))
    }
}

/// The page for a line that did not parse: what was wrong, and the way back to the plan.
fn bad_line(viewer: &Viewer, detail: &str) -> Response {
    (StatusCode::BAD_REQUEST, message_page(viewer, viewer.lang.text().cart_not_changed, detail)).into_response()
}

/// The line a cart form asks to change, or the page that says why it cannot be: a key that may
/// not change the cart, or a field that does not parse.
fn line_to_change(viewer: &Viewer, form: &CartLineForm, quantity_needed: bool) -> Result<Line, Box<Response>> {
    if let Some(refused) = viewer.refusal(Scope::Write) {
        return Err(Box::new(refused));
    }
    form.parse(viewer.lang.text(), quantity_needed).map_err(|detail| Box::new(bad_line(viewer, &detail)))
}

/// `POST /plan/cart`: adds an offer (and SKU) at a quantity, or sets the quantity of the line
/// already there.
pub async fn add(
    viewer: Viewer,
    State(state): State<ServiceState>,
    Form(form): Form<CartLineForm>,
) -> Result<Response, Trouble> {
    let (offer, sku, quantity) = match line_to_change(&viewer, &form, true) {
        Ok(line) => line,
        Err(page) => return Ok(*page),
    };
    let now = chrono::Utc::now().timestamp_millis();
    let notice = match state.store.add_to_cart(viewer.key.id, offer, sku, quantity, now).await? {
        CartAdd::Added => CartNotice::Added,
        CartAdd::Replaced => CartNotice::Replaced,
        CartAdd::Full => CartNotice::Full,
    };
    Ok(to_plan(notice))
}

/// `POST /plan/cart/import`: adds every line of a split, or of lines typed or uploaded on the
/// plan page (the plan form's fields).
pub async fn import(
    viewer: Viewer,
    State(state): State<ServiceState>,
    multipart: Multipart,
) -> Result<Response, Trouble> {
    if let Some(refused) = viewer.refusal(Scope::Write) {
        return Ok(refused);
    }
    let form = PlanForm::read(multipart).await?;
    let request = match form.to_request() {
        Ok(request) => request,
        Err(errors) => {
            let detail = errors
                .get("lines")
                .or(errors.get("file"))
                .map(|problem| problem.render(viewer.lang.text().language))
                .unwrap_or_default();
            return Ok(bad_line(&viewer, &detail));
        }
    };
    let now = chrono::Utc::now().timestamp_millis();
    let mut notice = CartNotice::Imported;
    for (i, line) in request.lines.iter().enumerate() {
        let at = now.saturating_add(i64::try_from(i).unwrap_or(i64::MAX));
        if state.store.add_to_cart(viewer.key.id, line.offer_id, line.sku_id, line.quantity, at).await? == CartAdd::Full
        {
            // A full cart ends the import: an upload of thousands of lines costs the store at
            // most a cart's worth of writes, not three statements a line.
            notice = CartNotice::Full;
            break;
        }
    }
    Ok(to_plan(notice))
}

/// `POST /plan/cart/update`: a line's new quantity.
pub async fn update(
    viewer: Viewer,
    State(state): State<ServiceState>,
    Form(form): Form<CartLineForm>,
) -> Result<Response, Trouble> {
    let (offer, sku, quantity) = match line_to_change(&viewer, &form, true) {
        Ok(line) => line,
        Err(page) => return Ok(*page),
    };
    state.store.set_cart_quantity(viewer.key.id, offer, sku, quantity).await?;
    Ok(to_plan(CartNotice::Updated))
}

/// `POST /plan/cart/remove`: takes a line out.
pub async fn remove(
    viewer: Viewer,
    State(state): State<ServiceState>,
    Form(form): Form<CartLineForm>,
) -> Result<Response, Trouble> {
    let (offer, sku, _) = match line_to_change(&viewer, &form, false) {
        Ok(line) => line,
        Err(page) => return Ok(*page),
    };
    state.store.remove_from_cart(viewer.key.id, offer, sku).await?;
    Ok(to_plan(CartNotice::Removed))
}

/// `POST /plan/cart/clear`: empties the cart.
pub async fn clear(viewer: Viewer, State(state): State<ServiceState>) -> Result<Response, Trouble> {
    if let Some(refused) = viewer.refusal(Scope::Write) {
        return Ok(refused);
    }
    state.store.clear_cart(viewer.key.id).await?;
    Ok(to_plan(CartNotice::Cleared))
}

/// An "add to plan" button for a line whose quantity is decided (an answer, a comparison row).
pub fn add_button(t: &Text, offer_id: i64, sku_id: Option<i64>, quantity: i64) -> Markup {
    html! {
        form.add-to-plan method="post" action="/plan/cart" {
            input type="hidden" name="offer" value=(offer_id);
            input type="hidden" name="sku" value=(sku_id.map(|s| s.to_string()).unwrap_or_default());
            input type="hidden" name="quantity" value=(quantity);
            button.secondary type="submit" { (t.add_to_plan) }
        }
    }
}

/// An "add to plan" form with the quantity to type (an offer's SKU rows), starting at `quantity`.
/// `label` names the line for screen readers (the SKU's attributes).
pub fn add_form(t: &Text, offer_id: i64, sku_id: Option<i64>, quantity: i64, label: &str) -> Markup {
    let field = format!("qty-{offer_id}-{}", sku_id.unwrap_or_default());
    html! {
        form.add-to-plan method="post" action="/plan/cart" {
            input type="hidden" name="offer" value=(offer_id);
            input type="hidden" name="sku" value=(sku_id.map(|s| s.to_string()).unwrap_or_default());
            label.visually-hidden for=(field) { (t.quantity) " · " (label) }
            input id=(field) name="quantity" type="number" min="1" inputmode="numeric" value=(quantity) required;
            button.secondary type="submit" { (t.add_to_plan) }
        }
    }
}

/// An "add all to plan" button for several lines at once (a split).
pub fn add_all_button(t: &Text, lines: &[Line]) -> Markup {
    let mut csv = String::from("offer_id,sku_id,quantity\n");
    for (offer, sku, quantity) in lines {
        csv.push_str(&format!("{offer},{},{quantity}\n", sku.map(|s| s.to_string()).unwrap_or_default()));
    }
    html! {
        form.add-to-plan method="post" action="/plan/cart/import" enctype="multipart/form-data" {
            input type="hidden" name="lines" value=(csv);
            button.secondary type="submit" { (t.add_all_to_plan) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::text::{EN, ZH};

    fn line(offer: &str, sku: &str, quantity: &str) -> CartLineForm {
        CartLineForm { offer: offer.into(), sku: sku.into(), quantity: quantity.into() }
    }

    #[test]
    fn a_line_parses_or_says_which_field_is_wrong_in_the_readers_language() {
        assert_eq!(line("630526089341", "", "300").parse(&EN, true), Ok((630_526_089_341, None, 300)));
        assert_eq!(line(" 7 ", " 9 ", " 2 ").parse(&EN, true), Ok((7, Some(9), 2)));
        assert!(line("x", "", "1").parse(&EN, true).unwrap_err().starts_with("Offer id"));
        assert!(line("7", "-1", "1").parse(&ZH, true).unwrap_err().starts_with("SKU"));
        let zero = line("7", "", "0").parse(&ZH, true).unwrap_err();
        assert!(zero.starts_with("数量"), "{zero}");
        assert!(line("7", "", "999999999999").parse(&EN, true).is_err(), "more than any job takes");
        assert_eq!(line("7", "", "").parse(&EN, false), Ok((7, None, 1)), "removing needs no quantity");
    }

    proptest::proptest! {
        /// Whatever a form sends, a line is read or refused, never a panic; a line read holds
        /// positive ids and a quantity any job takes.
        #[test]
        fn any_line_is_read_or_refused(offer in ".{0,24}", sku in ".{0,24}", quantity in ".{0,24}", needed: bool) {
            if let Ok((offer, sku, quantity)) = line(&offer, &sku, &quantity).parse(&ZH, needed) {
                proptest::prop_assert!(offer > 0 && sku.is_none_or(|s| s > 0));
                proptest::prop_assert!((1..=open1688_jobs::MAX_UNITS).contains(&quantity));
            }
        }

        /// Every positive line typed with spaces around its numbers reads back as typed.
        #[test]
        fn a_typed_line_reads_back(offer in 1..i64::MAX, sku in proptest::option::of(1..i64::MAX), quantity in 1..=open1688_jobs::MAX_UNITS) {
            let sku_text = sku.map(|s| format!(" {s} ")).unwrap_or_default();
            let read = line(&format!(" {offer}"), &sku_text, &format!("{quantity} ")).parse(&EN, true);
            proptest::prop_assert_eq!(read, Ok((offer, sku, quantity)));
        }
    }

    #[test]
    fn every_notice_goes_there_and_back() {
        for notice in [
            CartNotice::Added,
            CartNotice::Replaced,
            CartNotice::Imported,
            CartNotice::Full,
            CartNotice::Updated,
            CartNotice::Removed,
            CartNotice::Cleared,
        ] {
            assert_eq!(CartNotice::parse(notice.key()), Some(notice));
            assert!(!notice.render(&ZH).into_string().is_empty());
        }
        assert_eq!(CartNotice::parse("<script>"), None);
    }
}
