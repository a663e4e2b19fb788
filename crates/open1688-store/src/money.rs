//! Money as the databases keep it: NUMERIC in PostgreSQL, DECIMAL in MySQL, exact decimal TEXT in
//! SQLite.

use rust_decimal::Decimal;

/// A decimal that encodes as NUMERIC for PostgreSQL, DECIMAL for MySQL and TEXT for SQLite, and
/// decodes from the same columns.
pub(crate) struct MoneyArg(pub(crate) Decimal);

impl<'r> sqlx::Decode<'r, sqlx::Sqlite> for MoneyArg {
    fn decode(value: sqlx::sqlite::SqliteValueRef<'r>) -> std::result::Result<Self, sqlx::error::BoxDynError> {
        let text = <String as sqlx::Decode<'r, sqlx::Sqlite>>::decode(value)?;
        Ok(Self(text.parse::<Decimal>().map_err(|e| format!("{text:?} is not an amount of money: {e}"))?.normalize()))
    }
}

impl sqlx::Type<sqlx::Sqlite> for MoneyArg {
    fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
        <String as sqlx::Type<sqlx::Sqlite>>::type_info()
    }
}

impl<'q> sqlx::Encode<'q, sqlx::Sqlite> for MoneyArg {
    fn encode_by_ref(
        &self,
        buf: &mut Vec<sqlx::sqlite::SqliteArgumentValue<'q>>,
    ) -> std::result::Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        <String as sqlx::Encode<'q, sqlx::Sqlite>>::encode(self.0.to_string(), buf)
    }
}

#[cfg(feature = "postgres")]
impl sqlx::Type<sqlx::Postgres> for MoneyArg {
    fn type_info() -> sqlx::postgres::PgTypeInfo {
        <Decimal as sqlx::Type<sqlx::Postgres>>::type_info()
    }
}

#[cfg(feature = "postgres")]
impl<'r> sqlx::Decode<'r, sqlx::Postgres> for MoneyArg {
    fn decode(value: sqlx::postgres::PgValueRef<'r>) -> std::result::Result<Self, sqlx::error::BoxDynError> {
        Ok(Self(<Decimal as sqlx::Decode<'r, sqlx::Postgres>>::decode(value)?.normalize()))
    }
}

#[cfg(feature = "postgres")]
impl sqlx::Encode<'_, sqlx::Postgres> for MoneyArg {
    fn encode_by_ref(
        &self,
        buf: &mut sqlx::postgres::PgArgumentBuffer,
    ) -> std::result::Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        <Decimal as sqlx::Encode<'_, sqlx::Postgres>>::encode_by_ref(&self.0, buf)
    }
}

#[cfg(feature = "mysql")]
impl sqlx::Type<sqlx::MySql> for MoneyArg {
    fn type_info() -> sqlx::mysql::MySqlTypeInfo {
        <Decimal as sqlx::Type<sqlx::MySql>>::type_info()
    }
}

#[cfg(feature = "mysql")]
impl<'r> sqlx::Decode<'r, sqlx::MySql> for MoneyArg {
    fn decode(value: sqlx::mysql::MySqlValueRef<'r>) -> std::result::Result<Self, sqlx::error::BoxDynError> {
        // DECIMAL(20, 4) pads to four places; the amount is the same without them.
        Ok(Self(<Decimal as sqlx::Decode<'r, sqlx::MySql>>::decode(value)?.normalize()))
    }
}

#[cfg(feature = "mysql")]
impl sqlx::Encode<'_, sqlx::MySql> for MoneyArg {
    fn encode_by_ref(&self, buf: &mut Vec<u8>) -> std::result::Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        <Decimal as sqlx::Encode<'_, sqlx::MySql>>::encode_by_ref(&self.0, buf)
    }
}
