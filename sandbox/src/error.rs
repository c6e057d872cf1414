//! Everything a client can get wrong, with the envelope code and the Chinese message the
//! operator sees.

use crate::faults::FaultSpecError;

#[derive(Debug, PartialEq, thiserror::Error)]
pub enum ApiError {
    #[error("token 无效或已过期")]
    BadToken,
    #[error("签名错误")]
    BadSign,
    #[error("请求体不是合法的 JSON")]
    NotJson,
    #[error("请求体必须是 JSON 对象")]
    NotObject,
    #[error("{0} 不能为空")]
    Missing(&'static str),
    #[error("{0} 必须是字符串")]
    NotText(&'static str),
    #[error("{0} 格式错误，应为 YYYY-MM-DD")]
    BadDate(&'static str),
    #[error("{0} 必须是整数")]
    NotInteger(&'static str),
    #[error("{0} 不能小于 1")]
    BelowOne(&'static str),
    #[error("startTime 不能晚于 endTime")]
    StartAfterEnd,
    #[error("会话不存在: {0}")]
    ChatNotFound(String),
    #[error("接口不存在: {0}")]
    UnknownEndpoint(String),
    #[error("不支持 {0} 请求，请使用 POST")]
    MethodNotAllowed(String),
    #[error("x-op-fault 请求头无法解析: {0}")]
    BadFaultHeader(#[from] FaultSpecError),
}

impl ApiError {
    /// The envelope `code` (the HTTP status stays 200, as with the real server).
    pub fn code(&self) -> u16 {
        match self {
            ApiError::BadToken => 401,
            ApiError::BadSign => 403,
            ApiError::ChatNotFound(_) | ApiError::UnknownEndpoint(_) => 404,
            ApiError::MethodNotAllowed(_) => 405,
            ApiError::NotJson
            | ApiError::NotObject
            | ApiError::Missing(_)
            | ApiError::NotText(_)
            | ApiError::BadDate(_)
            | ApiError::NotInteger(_)
            | ApiError::BelowOne(_)
            | ApiError::StartAfterEnd
            | ApiError::BadFaultHeader(_) => 400,
        }
    }
}
