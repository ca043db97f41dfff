// Differential oracle: reads JSON-lines requests on stdin, answers with what mostro-core 0.17.3 does.
use mostro_core::prelude::*;
use nostr_sdk::prelude::{PublicKey, Signature};
use serde_json::{json, Value};
use std::io::{self, BufRead, Write};
use std::str::FromStr;

fn canonical(text: &str) -> Option<(String, bool)> {
    let m = Message::from_json(text).ok()?;
    let c = m.as_json().ok()?;
    Some((c, m.verify()))
}

fn verify(payload: String, pubkey: &str, sig: &str) -> bool {
    match (PublicKey::from_hex(pubkey), Signature::from_str(sig)) {
        (Ok(p), Ok(s)) => Message::verify_signature(payload, p, s),
        _ => false,
    }
}

fn main() {
    let stdin = io::stdin();
    let mut out = io::BufWriter::new(io::stdout());
    for line in stdin.lock().lines() {
        let line = line.unwrap();
        let req: Value = serde_json::from_str(&line).unwrap();
        let s = |k: &str| req[k].as_str().unwrap_or("").to_string();
        let answer = match req["op"].as_str().unwrap() {
            "msg" => match canonical(&s("json")) {
                Some((c, v)) => json!({"ok": true, "canonical": c, "verify": v}),
                None => json!({"ok": false}),
            },
            "sig" => match canonical(&s("json")) {
                Some((c, _)) => json!({"valid": verify(c, &s("pub"), &s("sig"))}),
                None => json!({"valid": false}),
            },
            "proof" => match canonical(&s("json")) {
                Some((c, _)) => {
                    let payload = format!("mostro-transport-v2-identity:{}:{}", s("trade"), c);
                    json!({"valid": verify(payload, &s("pub"), &s("sig"))})
                }
                None => json!({"valid": false}),
            },
            "f64" => {
                let v: f64 = s("value").parse().unwrap();
                json!({"serde": serde_json::to_string(&v).unwrap(), "display": v.to_string()})
            }
            "rating" => {
                // User::update_rating over a vote sequence: the aggregate after every vote.
                let mut user = User::default();
                let steps: Vec<Value> = req["votes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| {
                        user.update_rating(v.as_u64().unwrap() as u8);
                        json!({"total_reviews": user.total_reviews, "total_rating": user.total_rating,
                               "last_rating": user.last_rating, "max_rate": user.max_rating, "min_rate": user.min_rating})
                    })
                    .collect();
                json!({"steps": steps})
            }
            other => panic!("unknown op {other}"),
        };
        writeln!(out, "{}", answer).unwrap();
    }
}
