//! JSON Schemas of the application layer's requests and reports, from their `utoipa` derives:
//! the service's OpenAPI document and the MCP server's tool schemas are built from the same
//! types, so what one surface documents, the other does too.

use serde_json::{Map, Value};
use utoipa::ToSchema;
use utoipa::openapi::schema::{AdditionalProperties, Object, Schema, SchemaType, Type};
use utoipa::openapi::{ComponentsBuilder, OpenApi, RefOr};

/// Where OpenAPI keeps shared schemas, and where a self-contained JSON Schema keeps them.
const COMPONENTS: &str = "#/components/schemas/";
const DEFS: &str = "#/$defs/";

/// Rewrites the schemas of structs that flatten another struct as one object. utoipa writes them
/// as `allOf` of the two parts. When a part refuses unknown fields (a quote request flattens the
/// need), its `additionalProperties: false` then forbids the other part's fields, so no request
/// could satisfy the document; serde accepts exactly the union of the fields, which is one object
/// with both parts' properties, closed when a part is. When neither is closed (a catalog search's
/// report flattens its results) the `allOf` is already right, but tools that expect an object at
/// the root (MCP's output schemas) cannot read it; the merged object says the same.
pub fn merge_flattening(doc: &mut OpenApi) {
    let Some(components) = doc.components.as_mut() else { return };
    let originals = components.schemas.clone();
    let object_of = |part: &RefOr<Schema>| -> Option<Object> {
        let schema = match part {
            RefOr::Ref(r) => {
                let name = r.ref_location.strip_prefix(COMPONENTS)?;
                match originals.get(name)? {
                    RefOr::T(schema) => schema,
                    RefOr::Ref(_) => return None,
                }
            }
            RefOr::T(schema) => schema,
        };
        match schema {
            Schema::Object(object) => Some(object.clone()),
            _ => None,
        }
    };
    let closed = |o: &Object| matches!(o.additional_properties.as_deref(), Some(AdditionalProperties::FreeForm(false)));
    for schema in components.schemas.values_mut() {
        let RefOr::T(Schema::AllOf(all)) = schema else { continue };
        let Some(parts) = all.items.iter().map(object_of).collect::<Option<Vec<Object>>>() else { continue };
        let any_closed = parts.iter().any(closed);
        let mut merged = Object::new();
        merged.schema_type = SchemaType::Type(Type::Object);
        merged.description = all.description.clone();
        for part in parts {
            merged.properties.extend(part.properties);
            merged.required.extend(part.required);
        }
        if any_closed {
            merged.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
        }
        *schema = RefOr::T(Schema::Object(merged));
    }
}

/// `T`'s schema as one self-contained JSON Schema (2020-12) object: `T` at the root, every type it
/// refers to under `$defs`, flattening merged as in the OpenAPI document.
pub fn json_schema<T: ToSchema>() -> Map<String, Value> {
    let mut parts = Vec::new();
    T::schemas(&mut parts);
    let root_name = T::name().into_owned();
    let components = ComponentsBuilder::new().schemas_from_iter(parts).schema(root_name.clone(), T::schema()).build();
    let mut doc = OpenApi::new(utoipa::openapi::Info::new("schema", "0"), utoipa::openapi::Paths::new());
    doc.components = Some(components);
    merge_flattening(&mut doc);
    let mut schemas = doc.components.map(|c| c.schemas).unwrap_or_default();
    let root = schemas.remove(&root_name).map_or(Value::Object(Map::new()), to_value);
    let mut root = match root {
        Value::Object(map) => map,
        other => Map::from_iter([("allOf".to_owned(), Value::Array(vec![other]))]),
    };
    // Only what the root reaches, so each tool's schema carries no stranger's definitions.
    let mut defs = Map::new();
    let mut pending = references(&Value::Object(root.clone()));
    while let Some(name) = pending.pop() {
        if defs.contains_key(&name) || name == root_name {
            continue;
        }
        if let Some(schema) = schemas.get(&name) {
            let value = to_value(schema.clone());
            pending.extend(references(&value));
            defs.insert(name, value);
        }
    }
    if references(&Value::Object(root.clone())).contains(&root_name)
        || defs.values().any(|d| references(d).contains(&root_name))
    {
        // A recursive type refers to itself: keep it reachable by name too.
        defs.insert(root_name.clone(), Value::Object(root.clone()));
    }
    if !defs.is_empty() {
        root.insert("$defs".into(), Value::Object(defs));
    }
    let mut value = Value::Object(root);
    rewrite_references(&mut value);
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn to_value(schema: RefOr<Schema>) -> Value {
    // A schema utoipa built always serializes; `Null` would only hide a bug in utoipa.
    serde_json::to_value(schema).unwrap_or(Value::Null)
}

/// The component names a schema refers to.
fn references(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref")
                    && let Some(name) = r.strip_prefix(COMPONENTS)
                {
                    out.push(name.to_owned());
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    out
}

fn rewrite_references(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref")
                && let Some(name) = r.strip_prefix(COMPONENTS)
            {
                *r = format!("{DEFS}{name}");
            }
            map.values_mut().for_each(rewrite_references);
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite_references),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{QuoteRequest, SourceReport};

    fn all_references_resolve(schema: &Map<String, Value>) {
        let value = Value::Object(schema.clone());
        let defs = schema.get("$defs").and_then(Value::as_object).cloned().unwrap_or_default();
        let mut stack = vec![&value];
        while let Some(v) = stack.pop() {
            match v {
                Value::Object(map) => {
                    if let Some(Value::String(r)) = map.get("$ref") {
                        let name = r.strip_prefix(DEFS).unwrap_or_else(|| panic!("reference {r} left outside $defs"));
                        assert!(defs.contains_key(name), "reference {r} has no definition");
                    }
                    stack.extend(map.values());
                }
                Value::Array(items) => stack.extend(items),
                _ => {}
            }
        }
    }

    #[test]
    fn a_flattened_request_is_one_closed_object_with_every_field() {
        let schema = json_schema::<QuoteRequest>();
        assert_eq!(schema["type"], "object");
        assert_eq!(schema["additionalProperties"], false);
        let properties = schema["properties"].as_object().unwrap();
        for field in ["offer_id", "sku", "batches", "need"] {
            assert!(properties.contains_key(field), "{field} missing from {properties:?}");
        }
        all_references_resolve(&schema);
    }

    #[test]
    fn a_report_carries_every_type_it_refers_to_and_nothing_else() {
        let schema = json_schema::<SourceReport>();
        assert_eq!(schema["type"], "object");
        all_references_resolve(&schema);
        let defs = schema["$defs"].as_object().unwrap();
        assert!(defs.contains_key("Offer") && defs.contains_key("Comparison"), "{:?}", defs.keys());
        assert!(!defs.contains_key("WatchRequest"));
    }
}
