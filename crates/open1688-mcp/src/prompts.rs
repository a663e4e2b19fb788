//! Prompts: the two conversations buyers start most, written so an agent uses the tools in the
//! order a careful buyer would and explains its answer in a buyer's terms.

use rmcp::model::{GetPromptResult, Prompt, PromptArgument, PromptMessage, Role};

/// The prompts `prompts/list` gives.
pub fn list() -> Vec<Prompt> {
    vec![
        Prompt::new(
            "source_product",
            Some("Source a product on 1688: what to buy, from whom, how many, at what landed cost, and why."),
            Some(vec![
                PromptArgument::new("product")
                    .with_description("The product, as a buyer would search it (Chinese or English), e.g. 保温杯.")
                    .with_required(true),
                PromptArgument::new("quantity").with_description("Units needed, e.g. 300.").with_required(true),
                PromptArgument::new("constraints")
                    .with_description("Anything else that matters: budget per unit, colour, deadline, supplier type.")
                    .with_required(false),
            ]),
        )
        .with_title("Source a product"),
        Prompt::new(
            "check_supplier",
            Some("Check a 1688 supplier before buying: scorecard, risks, and how its prices compare."),
            Some(vec![
                PromptArgument::new("seller")
                    .with_description("The seller's open id or login id (from an offer's supplier).")
                    .with_required(true),
                PromptArgument::new("offer_id")
                    .with_description("An offer of theirs to compare with the same item from other sellers.")
                    .with_required(false),
            ]),
        )
        .with_title("Check a supplier"),
    ]
}

/// The prompt `name` filled with `arguments`; an error message names a missing argument.
pub fn get(name: &str, arguments: &serde_json::Map<String, serde_json::Value>) -> Result<GetPromptResult, String> {
    let argument = |key: &str| arguments.get(key).and_then(|v| v.as_str()).map(str::trim).filter(|v| !v.is_empty());
    let required = |key: &str| argument(key).ok_or_else(|| format!("the prompt {name} needs the argument {key}"));
    let text = match name {
        "source_product" => {
            let product = required("product")?;
            let quantity = required("quantity")?;
            let quantity: i64 = quantity
                .parse()
                .ok()
                .filter(|q| *q > 0)
                .ok_or_else(|| format!("quantity must be a whole number of units, got {quantity:?}"))?;
            let constraints = argument("constraints").map_or(String::new(), |c| format!("\nAlso: {c}."));
            format!(
                "I need {quantity} units of {product} from 1688.{constraints}\n\n\
                 1. Call `source` with keyword {product:?} and need {quantity}.\n\
                 2. Tell me what to buy, from whom, how many units (it may be more than I need when a higher \
                    price tier costs less in total), the landed cost per unit and in total, and why.\n\
                 3. Name the runner-up and what the pick costs or risks compared with it; call \
                    `supplier_report` on the picked supplier if its score band is not `accept`.\n\
                 4. Point me to the workbook and charts (the resources under open1688://source/last/).\n\
                 Money is in CNY; quote the figures as the tools give them."
            )
        }
        "check_supplier" => {
            let seller = required("seller")?;
            let compare = argument("offer_id").map_or(String::new(), |offer| {
                format!(
                    "\n3. Call `find_same_item` for offer {offer} with a need of 100 and say whether this supplier \
                     is cheap or dear for that item, and which safer or cheaper sellers exist."
                )
            });
            format!(
                "Check the 1688 supplier {seller} before I buy.\n\n\
                 1. Call `supplier_report` for {seller}.\n\
                 2. Give the score, band and recommended action, the criteria that helped and hurt most, and the \
                    risks a buyer should check before paying (years on the platform, factory or trader, \
                    repurchase and response rates).{compare}\n\
                 Keep it short: a verdict first, then the reasons."
            )
        }
        other => return Err(format!("no prompt named {other:?}; prompts/list lists them")),
    };
    Ok(GetPromptResult::new(vec![PromptMessage::new_text(Role::User, text)]).with_description(match name {
        "source_product" => "Source a product",
        _ => "Check a supplier",
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn prompts_fill_their_arguments_and_name_a_missing_one() {
        let args = json!({"product": "保温杯", "quantity": "300"}).as_object().cloned().unwrap();
        let result = get("source_product", &args).unwrap();
        assert_eq!(result.messages.len(), 1);
        let missing = get("source_product", &json!({"product": "保温杯"}).as_object().cloned().unwrap());
        assert_eq!(missing.unwrap_err(), "the prompt source_product needs the argument quantity");
        let bad = get("source_product", &json!({"product": "x", "quantity": "lots"}).as_object().cloned().unwrap());
        assert!(bad.unwrap_err().contains("whole number"));
        assert!(get("check_supplier", &json!({"seller": "b2b-1"}).as_object().cloned().unwrap()).is_ok());
        assert!(get("nope", &serde_json::Map::new()).is_err());
        assert_eq!(list().len(), 2);
    }
}
