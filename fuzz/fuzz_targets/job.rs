//! A job payload, as any bytes off the broker: it parses to a job that passes or fails
//! the shape checks, or to a rejection with a stable code; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use maaza::job::{check_shape, parse_job};

fuzz_target!(|data: &[u8]| {
    match parse_job(data) {
        Ok(job) => {
            if let Err(e) = check_shape(&job, 64 * 1024) {
                assert!(e.is_rejection(), "{e:?}");
            }
        }
        Err(e) => assert!(e.is_rejection(), "{e:?}"),
    }
});
