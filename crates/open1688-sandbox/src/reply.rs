//! What a handler answers, and how that becomes an HTTP response (with faults applied).

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use open1688_types::{GatewayErrorBody, GatewayErrorCode};
use serde::Serialize;

use crate::faults::Fault;

/// The content type the gateway sends (spec §1.2, sandbox choice).
pub const JSON_CONTENT_TYPE: &str = "application/json;charset=UTF-8";

/// A handler's answer.
#[derive(Debug)]
pub enum Reply {
    /// HTTP 200 success body.
    Ok(Vec<u8>),
    /// HTTP 200 with a business failure (code for statistics).
    Business {
        /// Body.
        body: Vec<u8>,
        /// Business error code.
        code: String,
    },
    /// A gateway rejection.
    Gateway {
        /// Code.
        code: GatewayErrorCode,
        /// Message.
        message: String,
    },
    /// Any other status with a JSON body (OAuth errors).
    Status {
        /// Status.
        status: StatusCode,
        /// Body.
        body: Vec<u8>,
        /// Code for statistics.
        code: String,
    },
}

impl Reply {
    /// Serializes a success body.
    pub fn ok(value: &impl Serialize) -> Self {
        Reply::Ok(to_json(value))
    }

    /// A business failure with a serializable body.
    pub fn business(code: impl Into<String>, body: &impl Serialize) -> Self {
        Reply::Business { body: to_json(body), code: code.into() }
    }

    /// A gateway rejection with the code's default message.
    pub fn gateway(code: GatewayErrorCode) -> Self {
        let message = code.default_message().to_owned();
        Reply::Gateway { code, message }
    }

    /// A gateway rejection with a specific message.
    pub fn gateway_msg(code: GatewayErrorCode, message: impl Into<String>) -> Self {
        Reply::Gateway { code, message: message.into() }
    }

    /// A `gw.ParamMissing` naming the argument.
    pub fn param_missing(name: &str) -> Self {
        Self::gateway_msg(GatewayErrorCode::ParamMissing, format!("Required argument {name}"))
    }

    /// Turns the reply into a response, applying a body fault if one was drawn.
    pub fn into_response(self, request_id: &str, fault: Option<Fault>) -> Response {
        let (status, body) = match self {
            Reply::Ok(body) | Reply::Business { body, .. } => (StatusCode::OK, body),
            Reply::Status { status, body, .. } => (status, body),
            Reply::Gateway { code, message } => {
                let status = StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
                (status, to_json(&GatewayErrorBody::new(code, message, request_id)))
            }
        };
        match fault {
            Some(Fault::Truncated) => json_response(status, body[..body.len() / 2].to_vec()),
            Some(Fault::Malformed) => json_response(status, b"<html><body><h1>Service busy</h1>{\"result\":".to_vec()),
            Some(Fault::Reset) => {
                let half = Bytes::from(body[..body.len() / 2].to_vec());
                let chunks: Vec<Result<Bytes, std::io::Error>> =
                    vec![Ok(half), Err(std::io::Error::new(std::io::ErrorKind::ConnectionReset, "injected reset"))];
                let mut response = Response::new(Body::from_stream(futures::stream::iter(chunks)));
                *response.status_mut() = status;
                response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_CONTENT_TYPE));
                response
            }
            _ => json_response(status, body),
        }
    }

    /// The code to count in statistics (`None` for success).
    pub fn stats_code(&self) -> Option<String> {
        match self {
            Reply::Ok(_) => None,
            Reply::Business { code, .. } | Reply::Status { code, .. } => Some(code.clone()),
            Reply::Gateway { code, .. } => Some(code.as_str().to_owned()),
        }
    }
}

/// A JSON response with the gateway's content type.
pub fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_CONTENT_TYPE));
    response
}

/// An HTML error page as a load balancer in front of the gateway would send it.
pub fn html_error(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = format!(
        "<html><head><title>{status}</title></head><body><center><h1>{status}</h1></center><hr><center>Tengine</center></body></html>"
    );
    let mut response = (status, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
    response
}

/// Serializes a value that cannot fail to serialize (plain data).
pub fn to_json(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(value).expect("response bodies are plain data and always serialize")
}
