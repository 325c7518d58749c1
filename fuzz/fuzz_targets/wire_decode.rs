//! Request bodies as the manager decodes them: a value or a serde error,
//! never a panic, and what decodes encodes back to something that decodes
//! to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use plaza_api::enrol::EnrolRequest;
use plaza_api::events::EventBatch;
use plaza_api::heartbeat::HeartbeatRequest;
use plaza_api::participation::accounts::Credentials;
use plaza_api::participation::forums::{NewPost, NewThread};
use serde::{Serialize, de::DeserializeOwned};

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(data: &[u8]) {
    if let Ok(value) = serde_json::from_slice::<T>(data) {
        let again = serde_json::to_vec(&value).expect("encodes");
        let back: T = serde_json::from_slice(&again).expect("decodes what it encoded");
        assert_eq!(back, value);
    }
}

fuzz_target!(|data: &[u8]| {
    round_trip::<HeartbeatRequest>(data);
    round_trip::<EventBatch>(data);
    round_trip::<EnrolRequest>(data);
    round_trip::<Credentials>(data);
    round_trip::<NewThread>(data);
    round_trip::<NewPost>(data);
});
