//! The buyer's saved delivery addresses (`alibaba.trade.receiveAddress.get`), listed so a person
//! can pick the id that `--address-id`, `ship_to.address_id` and the config's `[order] ship_to`
//! take.

use open1688::types::api::payment::ReceiveAddresses;
use serde::Serialize;

use crate::error::{JobError, Result};
use crate::jobs::Jobs;
use crate::sheet::{Cell, Sheet};

/// One saved address, as a person picks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SavedAddress {
    /// The id to order with (`address_id`).
    pub address_id: i64,
    /// The receiver.
    pub receiver: Option<String>,
    /// Mobile.
    pub mobile: Option<String>,
    /// Province, city and district.
    pub area: Option<String>,
    /// Town (street).
    pub town: Option<String>,
    /// Street and number.
    pub address: Option<String>,
    /// Post code.
    pub post_code: Option<String>,
    /// The district's code.
    pub district_code: Option<String>,
    /// Whether it is the buyer's default.
    pub is_default: bool,
}

/// The buyer's saved addresses.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AddressBook {
    /// The addresses, as the platform lists them.
    pub addresses: Vec<SavedAddress>,
}

impl Jobs {
    /// The authorized buyer's saved addresses (one gateway call). An address without an id
    /// cannot be ordered to and is left out.
    pub async fn saved_addresses(&self) -> Result<AddressBook> {
        let answer =
            self.client().execute(&ReceiveAddresses).await.map_err(|e| JobError::gateway("the saved addresses", e))?;
        let addresses = answer
            .addresses()
            .into_iter()
            .filter_map(|a| {
                Some(SavedAddress {
                    address_id: a.id?,
                    receiver: a.full_name,
                    mobile: a.mobile.filter(|m| !m.is_empty()).or(a.phone).filter(|m| !m.is_empty()),
                    area: a.address_code_text,
                    town: a.town_name,
                    address: a.address,
                    post_code: a.post_code,
                    district_code: a.address_code,
                    is_default: a.is_default.unwrap_or(false),
                })
            })
            .collect();
        Ok(AddressBook { addresses })
    }
}

impl AddressBook {
    /// The addresses as one table.
    pub fn sheets(&self) -> Vec<Sheet> {
        let mut sheet = Sheet::new(
            "addresses",
            &["address_id", "default", "receiver", "mobile", "area", "town", "address", "post_code", "district_code"],
        );
        for a in &self.addresses {
            sheet.push(vec![
                Cell::Text(a.address_id.to_string()),
                Cell::Text(if a.is_default { "yes" } else { "" }.to_owned()),
                Cell::opt_text(a.receiver.clone()),
                Cell::opt_text(a.mobile.clone()),
                Cell::opt_text(a.area.clone()),
                Cell::opt_text(a.town.clone()),
                Cell::opt_text(a.address.clone()),
                Cell::opt_text(a.post_code.clone()),
                Cell::opt_text(a.district_code.clone()),
            ]);
        }
        vec![sheet]
    }
}
