use thiserror::Error;

/// What went wrong with storage, and whether trying again can help.
#[derive(Debug, Error)]
pub enum StoreError {
    /// A conditional write found the item in another state than expected
    /// (already exists, changed meanwhile). The text says which.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("not found")]
    NotFound,
    /// Others kept changing the item while this write tried: trying again
    /// later succeeds.
    #[error("busy: {0}")]
    Contended(String),
    /// A caller-supplied value (named) that storage cannot use, e.g. a
    /// pagination cursor that does not belong to this listing.
    #[error("invalid {0}")]
    Invalid(String),
    /// The item does not decode into its record type: a schema drift.
    #[error("stored item is malformed: {0}")]
    Corrupt(String),
    /// The AWS call itself failed (network, throttling, a missing table).
    /// The SDK's error is kept as the source.
    #[error("AWS call failed: {message}")]
    Aws {
        message: String,
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

impl StoreError {
    pub fn aws<E: std::error::Error + Send + Sync + 'static>(e: E) -> StoreError {
        // The SDK's Display is terse ("service error"); the source chain says why.
        let mut message = e.to_string();
        let mut src = e.source();
        while let Some(s) = src {
            message.push_str(": ");
            message.push_str(&s.to_string());
            src = s.source();
        }
        StoreError::Aws { message, source: Some(Box::new(e)) }
    }

    /// An AWS failure described in words (a missing field of an answer).
    pub fn aws_msg(message: impl Into<String>) -> StoreError {
        StoreError::Aws { message: message.into(), source: None }
    }

    /// Worth trying again later: the service failed or was busy. A missing
    /// or malformed item, or a refused condition, will not change by retrying.
    pub fn retryable(&self) -> bool {
        matches!(self, StoreError::Aws { .. } | StoreError::Contended(_))
    }
}
