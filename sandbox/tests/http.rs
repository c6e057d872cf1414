//! HTTP-level tests: the whole router (CORS, access log, fallback) driven through
//! `tower::ServiceExt::oneshot`, plus one real listener.

use std::path::Path;
use std::time::{Duration, Instant};

use axum::body::{to_bytes, Body};
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::Router;
use op_sandbox::{app, start, Options, Scenario};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tower::ServiceExt;

const SEED_CHAT: &str = "u0001d6ddfcbef27e45aeaee5bf7db6ac83b5";
const SEARCH: &str = "/op/v2/chatSearchs?apiVersion=01&client=b2736195b38346639463ee889d6b8ff4";
const INFO: &str = "/op/v2/getChatInfo?apiVersion=01&client=b2736195b38346639463ee889d6b8ff4";
const SEED_QUERY: &str = r#"{"userNick":"阿洋","startTime":"2015-04-17","endTime":"2015-12-26","pageNum":1,"pageSize":20}"#;

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|error| panic!("not JSON ({error}): {}", self.text()))
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|value| value.to_str().ok()).unwrap_or("")
    }

    /// Asserts an error envelope (HTTP 200) and returns its message.
    fn error(&self, code: u16) -> String {
        assert_eq!(self.status, StatusCode::OK, "{}", self.text());
        let envelope = self.json();
        assert_eq!(envelope["code"], json!(code), "{envelope}");
        assert!(envelope["data"].is_null() && envelope["page"].is_null(), "{envelope}");
        envelope["message"].as_str().unwrap_or_default().to_owned()
    }
}

fn options() -> Options {
    Options { chats: 300, ..Options::default() }
}

fn router(options: Options) -> Router {
    app(options).expect("app builds")
}

async fn send(app: &Router, method: Method, uri: &str, headers: &[(&str, &str)], body: &str) -> Reply {
    let mut request = Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = request.body(Body::from(body.to_owned())).expect("valid request");
    let response = app.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = to_bytes(response.into_body(), usize::MAX).await.expect("body").to_vec();
    Reply { status, headers, body }
}

async fn post(app: &Router, uri: &str, body: &str) -> Reply {
    send(app, Method::POST, uri, &[("content-type", "application/json;charset=UTF-8")], body).await
}

fn fixture() -> Value {
    serde_json::from_str(op_sandbox::data::seed::FIXTURE).expect("fixture is JSON")
}

fn info_body(chat_id: &str) -> String {
    json!({"chatId": chat_id, "isMsg": false}).to_string()
}

#[tokio::test]
async fn seed_search_is_answered_like_the_seed() {
    let app = router(options());
    let reply = post(&app, SEARCH, SEED_QUERY).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(reply.header("content-type").starts_with("application/json"));
    // Field order as in the seed, from the envelope down to the rows.
    let first_row = r#"{"code":200,"message":"成功","data":[{"chatId":"u0001d6ddfcbef27e45aeaee5bf7db6ac83b5","groupId":"135222409673310808","createTime":1450112055023,"userId":"u00013058217037704c358367f6e1fd1da545","message":"","nickName":"阿洋","userIcon":"#;
    assert!(reply.text().starts_with(first_row), "{}", reply.text());
    assert!(reply.text().contains(r#""page":{"total":12,"page":1,"pageSize":20,"count":12,"next":false,"startIndex":0},"foot":{"operationTime":""#));
    let envelope = reply.json();
    let seed = &fixture()["chatSearchs"];
    assert_eq!(envelope["code"], json!(200));
    assert_eq!(envelope["message"], json!("成功"));
    assert_eq!(envelope["data"], seed["data"]);
    assert_eq!(envelope["page"], seed["page"]);
    let foot = &envelope["foot"];
    assert_eq!((foot["servicePhone"].as_str(), foot["host"].as_str()), (Some("400800400"), Some("op-sandbox")));
    let time = foot["operationTime"].as_str().unwrap_or_default();
    assert!(chrono::NaiveDateTime::parse_from_str(time, "%Y-%m-%d %H:%M:%S").is_ok(), "{time}");
}

#[tokio::test]
async fn seed_chat_info_is_answered_verbatim() {
    let app = router(options());
    let envelope = post(&app, INFO, &info_body(SEED_CHAT)).await.json();
    let seed = &fixture()["getChatInfo"];
    assert_eq!(envelope["code"], json!(200));
    assert_eq!(envelope["data"], seed["data"]);
    assert!(envelope["page"].is_null());
}

#[tokio::test]
async fn every_recent_row_has_a_chat_info() {
    let app = router(options());
    let today = chrono::Utc::now().with_timezone(&op_sandbox::clock::zone()).date_naive();
    let start = today - chrono::Days::new(30);
    let body = json!({"startTime": start.to_string(), "endTime": today.to_string(), "pageNum": 1, "pageSize": 100});
    let search = post(&app, SEARCH, &body.to_string()).await.json();
    let rows = search["data"].as_array().cloned().unwrap_or_default();
    assert!(rows.len() >= 10, "the last 30 days have rows: {}", rows.len());
    assert_eq!(search["page"]["total"].as_u64(), Some(rows.len() as u64));
    for row in rows {
        let chat_id = row["chatId"].as_str().expect("chatId");
        let info = post(&app, INFO, &info_body(chat_id)).await.json();
        assert_eq!(info["code"], json!(200), "{chat_id}");
        assert_eq!(info["data"]["chatId"], row["chatId"]);
        let created = row["createTime"].as_i64().expect("epoch ms");
        assert_eq!(info["data"]["createTime"], json!(op_sandbox::clock::format_ms(created)));
        assert_eq!(info["data"]["user"]["nickName"], row["nickName"]);
    }
}

#[tokio::test]
async fn bad_input_gets_an_error_envelope() {
    let app = router(options());
    assert_eq!(post(&app, SEARCH, "{not json").await.error(400), "请求体不是合法的 JSON");
    assert_eq!(post(&app, SEARCH, "").await.error(400), "请求体不是合法的 JSON");
    let missing = r#"{"endTime":"2015-12-26","pageNum":1,"pageSize":20}"#;
    assert!(post(&app, SEARCH, missing).await.error(400).contains("startTime"));
    let malformed = r#"{"startTime":"2015-12-01","endTime":"26/12/2015","pageNum":1,"pageSize":20}"#;
    assert_eq!(post(&app, SEARCH, malformed).await.error(400), "endTime 格式错误，应为 YYYY-MM-DD");
    let reversed = r#"{"startTime":"2015-12-27","endTime":"2015-12-26","pageNum":1,"pageSize":20}"#;
    assert_eq!(post(&app, SEARCH, reversed).await.error(400), "startTime 不能晚于 endTime");
    let page_zero = r#"{"startTime":"2015-12-01","endTime":"2015-12-26","pageNum":0,"pageSize":20}"#;
    assert!(post(&app, SEARCH, page_zero).await.error(400).contains("pageNum"));
    let size_zero = r#"{"startTime":"2015-12-01","endTime":"2015-12-26","pageNum":1,"pageSize":0}"#;
    assert!(post(&app, SEARCH, size_zero).await.error(400).contains("pageSize"));
    assert_eq!(post(&app, INFO, &info_body("u0001nope")).await.error(404), "会话不存在: u0001nope");
    assert!(post(&app, INFO, r#"{"isMsg":false}"#).await.error(400).contains("chatId"));
    assert!(post(&app, "/op/v2/getChatInfos", "{}").await.error(404).contains("/op/v2/getChatInfos"));
    post(&app, "/op/v2/", "{}").await.error(404);
    send(&app, Method::GET, SEARCH, &[], "").await.error(405);
}

#[tokio::test]
async fn no_total_leaves_the_total_out_and_keeps_next() {
    let app = router(Options { no_total: true, ..options() });
    let page = |num: u64| json!({"startTime":"2015-01-01","endTime":"2099-12-31","pageNum":num,"pageSize":200}).to_string();
    let first = post(&app, SEARCH, &page(1)).await.json();
    assert_eq!(first["page"].as_object().map(|p| p.contains_key("total")), Some(false), "{}", first["page"]);
    assert_eq!((first["page"]["count"].clone(), first["page"]["next"].clone()), (json!(200), json!(true)));
    let last = post(&app, SEARCH, &page(2)).await.json();
    assert_eq!((last["page"]["count"].clone(), last["page"]["next"].clone()), (json!(112), json!(false)));
}

#[tokio::test]
async fn past_the_end_and_capped_pages() {
    let app = router(options());
    let page = |num: u64, size: u64| json!({"startTime":"2015-01-01","endTime":"2099-12-31","pageNum":num,"pageSize":size}).to_string();
    let big = post(&app, SEARCH, &page(1, 5000)).await.json();
    assert_eq!(big["page"]["pageSize"], json!(500));
    assert_eq!(big["data"].as_array().map(Vec::len), Some(312));
    let past = post(&app, SEARCH, &page(99, 20)).await.json();
    assert_eq!(past["code"], json!(200));
    assert_eq!(past["data"], json!([]));
    assert_eq!((past["page"]["total"].clone(), past["page"]["next"].clone()), (json!(312), json!(false)));
}

#[tokio::test]
async fn token_is_required_when_configured() {
    let app = router(Options { token: Some("o0001secret".to_owned()), ..options() });
    assert_eq!(post(&app, SEARCH, SEED_QUERY).await.error(401), "token 无效或已过期");
    post(&app, &format!("{SEARCH}&token=wrong"), SEED_QUERY).await.error(401);
    let ok = post(&app, &format!("{SEARCH}&token=o0001secret"), SEED_QUERY).await.json();
    assert_eq!(ok["code"], json!(200));
}

#[tokio::test]
async fn sign_is_verified_when_configured() {
    let app = router(Options {
        sign_template: Some("{apiVersion}|{client}|{version}|{token}|{path}|{body}|{secret}".to_owned()),
        sign_secret: Some("s3cr3t".to_owned()),
        ..options()
    });
    let body = r#"{"chatId":"u0001d6ddfcbef27e45aeaee5bf7db6ac83b5","isMsg":false}"#;
    // The same vector as in src/auth.rs, computed independently with Python's hashlib:
    // md5('01|b2736195b38346639463ee889d6b8ff4||o0001403351be22c648efa24c20e842fd7351|/op/v2/getChatInfo|' + body + '|s3cr3t')
    let query = "apiVersion=01&client=b2736195b38346639463ee889d6b8ff4&token=o0001403351be22c648efa24c20e842fd7351";
    let signed = format!("/op/v2/getChatInfo?{query}&sign=CCCFCB6040C9F852743AC22051F4E00E");
    assert_eq!(post(&app, &signed, body).await.json()["code"], json!(200));
    let wrong = format!("/op/v2/getChatInfo?{query}&sign=cccfcb6040c9f852743ac22051f4e00f");
    assert_eq!(post(&app, &wrong, body).await.error(403), "签名错误");
    post(&app, &format!("/op/v2/getChatInfo?{query}"), body).await.error(403);
}

#[tokio::test]
async fn cors_preflight_and_simple_requests() {
    let app = router(options());
    let preflight = send(
        &app,
        Method::OPTIONS,
        SEARCH,
        &[
            ("origin", "http://localhost:3000"),
            ("access-control-request-method", "POST"),
            ("access-control-request-headers", "content-type,x-op-fault"),
        ],
        "",
    )
    .await;
    assert!(preflight.status.is_success(), "{}", preflight.status);
    assert_eq!(preflight.header("access-control-allow-origin"), "*");
    assert!(preflight.header("access-control-allow-methods").contains("POST"));
    assert!(preflight.header("access-control-allow-headers").contains("x-op-fault"));
    assert!(preflight.header("access-control-allow-headers").contains("content-type"));

    let headers = [("origin", "https://portal.example"), ("content-type", "application/json")];
    let simple = send(&app, Method::POST, SEARCH, &headers, SEED_QUERY).await;
    assert_eq!(simple.header("access-control-allow-origin"), "*");
    assert_eq!(simple.header("access-control-expose-headers"), "*");
    let control = send(&app, Method::GET, "/__sandbox/requests", &headers, "").await;
    assert_eq!(control.header("access-control-allow-origin"), "*");
}

#[tokio::test]
async fn queued_faults_hit_the_next_matching_requests() {
    let app = router(options());
    let queue = r#"{"endpoint":"getChatInfo","fail":"html502","count":2}"#;
    let queued = post(&app, "/__sandbox/faults", queue).await;
    assert_eq!(queued.status, StatusCode::OK);
    assert_eq!(queued.json()["queued"][0]["count"], json!(2));
    post(&app, "/__sandbox/faults", r#"{"fail":"envelope"}"#).await;
    assert_eq!(send(&app, Method::GET, "/__sandbox/faults", &[], "").await.json()["queued"].as_array().map(Vec::len), Some(2));

    // chatSearchs skips the getChatInfo fault and takes the "any" one.
    assert_eq!(post(&app, SEARCH, SEED_QUERY).await.error(500), "服务器内部错误");
    for _ in 0..2 {
        let failed = post(&app, INFO, &info_body(SEED_CHAT)).await;
        assert_eq!(failed.status, StatusCode::BAD_GATEWAY);
        assert!(failed.header("content-type").starts_with("text/html"));
        assert!(failed.text().contains("502 Bad Gateway"));
    }
    assert_eq!(post(&app, INFO, &info_body(SEED_CHAT)).await.json()["code"], json!(200));

    post(&app, "/__sandbox/faults", r#"{"delayMs":5,"count":3}"#).await;
    let cleared = send(&app, Method::DELETE, "/__sandbox/faults", &[], "").await.json();
    assert_eq!(cleared, json!({"cleared": 1}));
    for bad in [r#"{"fail":"boom"}"#, r#"{"endpoint":"other"}"#, r#"{"count":0}"#, r#"{"delay":5}"#, "nope"] {
        let refused = post(&app, "/__sandbox/faults", bad).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(refused.json()["error"].is_string());
    }
}

#[tokio::test]
async fn request_log_shows_what_was_sent() {
    let app = router(options());
    let uri = "/op/v2/chatSearchs?apiVersion=01&client=c1&version=2.0&token=t0&sign=abc";
    post(&app, uri, SEED_QUERY).await;
    send(&app, Method::POST, INFO, &[("x-op-fault", "delay=1")], "not json").await;
    let log = send(&app, Method::GET, "/__sandbox/requests", &[], "").await.json();
    let requests = log["requests"].as_array().cloned().unwrap_or_default();
    assert_eq!(requests.len(), 2);
    let first = &requests[0];
    assert_eq!(first["method"], json!("POST"));
    assert_eq!(first["path"], json!("/op/v2/chatSearchs"));
    assert_eq!(first["rawQuery"], json!("apiVersion=01&client=c1&version=2.0&token=t0&sign=abc"));
    assert_eq!(first["query"], json!({"apiVersion":"01","client":"c1","version":"2.0","token":"t0","sign":"abc"}));
    assert_eq!(first["body"]["userNick"], json!("阿洋"));
    assert_eq!(first["rawBody"], json!(SEED_QUERY));
    assert!(first["time"].as_str().is_some_and(|time| time.ends_with('Z')));
    assert!(requests[1]["body"].is_null());
    assert_eq!(requests[1]["fault"], json!("delay=1"));
    assert_eq!(send(&app, Method::DELETE, "/__sandbox/requests", &[], "").await.json(), json!({"cleared": 2}));
}

#[tokio::test]
async fn fault_header_overrides_per_request() {
    let app = router(options());
    let with = |fault: &'static str| {
        let app = app.clone();
        async move { send(&app, Method::POST, SEARCH, &[("x-op-fault", fault)], SEED_QUERY).await }
    };
    let plain = with("fail=http500").await;
    assert_eq!(plain.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(plain.header("content-type").starts_with("text/plain"));
    assert_eq!(with("fail=envelope").await.error(500), "服务器内部错误");
    let truncated = with("fail=truncated").await;
    assert_eq!(truncated.status, StatusCode::OK);
    assert!(truncated.text().starts_with("{\"code\":200"));
    assert!(serde_json::from_slice::<Value>(&truncated.body).is_err());
    let started = Instant::now();
    assert_eq!(with("delay=150").await.json()["code"], json!(200));
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert!(with("fail=sometimes").await.error(400).contains("x-op-fault"));
}

#[tokio::test(start_paused = true)]
async fn timeout_fault_hangs_a_minute_then_504() {
    let app = router(Options { chats: 0, ..Options::default() });
    let started = tokio::time::Instant::now();
    let reply = send(&app, Method::POST, SEARCH, &[("x-op-fault", "fail=timeout")], SEED_QUERY).await;
    assert_eq!(reply.status, StatusCode::GATEWAY_TIMEOUT);
    assert!(started.elapsed() >= Duration::from_secs(60));
}

#[tokio::test]
async fn fail_rate_one_fails_everything() {
    let app = router(Options { fail_rate: 1.0, ..options() });
    for _ in 0..20 {
        let reply = post(&app, SEARCH, SEED_QUERY).await;
        let ok = reply.status == StatusCode::OK
            && serde_json::from_slice::<Value>(&reply.body).is_ok_and(|envelope| envelope["code"] == json!(200));
        assert!(!ok, "every request fails");
    }
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write test file");
}

fn dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "index.html", "<!doctype html><title>Op Console</title>");
    write(dir.path(), "op-console.js", "export default 1;");
    write(dir.path(), "config.json", r#"{"apiBase":"/op/v2"}"#);
    dir
}

#[tokio::test]
async fn dist_is_served_with_an_index_fallback() {
    let dist = dist();
    let config = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(config.path(), r#"{"token":"dev"}"#).expect("write");
    let app = router(Options { dist: Some(dist.path().into()), app_config: Some(config.path().into()), ..options() });
    let index = send(&app, Method::GET, "/", &[], "").await;
    assert_eq!(index.status, StatusCode::OK);
    assert!(index.text().contains("Op Console"));
    let route = send(&app, Method::GET, "/search?nick=a", &[], "").await;
    assert_eq!((route.status, route.text().contains("Op Console")), (StatusCode::OK, true));
    let script = send(&app, Method::GET, "/op-console.js", &[], "").await;
    assert!(script.header("content-type").contains("javascript"));
    assert_eq!(send(&app, Method::GET, "/missing.wasm", &[], "").await.status, StatusCode::NOT_FOUND);
    let config = send(&app, Method::GET, "/config.json", &[], "").await;
    assert_eq!(config.json(), json!({"token": "dev"}));
    assert_eq!(config.header("cache-control"), "no-store");
    assert!(config.header("content-security-policy").is_empty());
    // The API and the control API keep working next to the app.
    assert_eq!(post(&app, SEARCH, SEED_QUERY).await.json()["page"]["total"], json!(12));
    post(&app, "/op/v2/nothing", "{}").await.error(404);
    assert_eq!(send(&app, Method::GET, "/__sandbox/nothing", &[], "").await.status, StatusCode::NOT_FOUND);
    assert_eq!(send(&app, Method::GET, "/__sandbox/requests", &[], "").await.status, StatusCode::OK);
}

#[tokio::test]
async fn dist_under_a_mount_with_csp_and_a_portal() {
    let dist = dist();
    let portal = tempfile::tempdir().expect("temp dir");
    write(portal.path(), "index.html", "<h1>Admin portal</h1>");
    let app = router(Options {
        dist: Some(dist.path().into()),
        mount: "/cdn/x/".to_owned(),
        csp: true,
        portal: Some(portal.path().into()),
        ..options()
    });
    let index = send(&app, Method::GET, "/cdn/x/", &[], "").await;
    assert!(index.text().contains("Op Console"));
    assert!(index.header("content-security-policy").contains("'wasm-unsafe-eval'"));
    assert!(send(&app, Method::GET, "/cdn/x/deep/route", &[], "").await.text().contains("Op Console"));
    assert_eq!(send(&app, Method::GET, "/cdn/x/config.json", &[], "").await.json(), json!({"apiBase": "/op/v2"}));
    assert_eq!(send(&app, Method::GET, "/op-console.js", &[], "").await.status, StatusCode::NOT_FOUND);
    for path in ["/", "/cdn/x"] {
        let redirect = send(&app, Method::GET, path, &[], "").await;
        assert!(redirect.status.is_redirection(), "{path}");
        assert_eq!(redirect.header("location"), "/cdn/x/");
    }
    let portal_page = send(&app, Method::GET, "/portal/", &[], "").await;
    assert!(portal_page.text().contains("Admin portal"));
    // The embedding page runs under the same policy as the app it embeds.
    assert!(portal_page.header("content-security-policy").contains("'wasm-unsafe-eval'"));
    let api = post(&app, SEARCH, SEED_QUERY).await;
    assert!(api.header("content-security-policy").is_empty());
}

#[tokio::test]
async fn missing_static_paths_are_startup_errors() {
    let error = app(Options { dist: Some("/no/such/dist".into()), ..options() }).err();
    assert!(error.is_some_and(|error| error.to_string().contains("--dist")));
    assert!(app(Options { app_config: Some("/no/such/config.json".into()), ..options() }).is_err());
}

#[tokio::test]
async fn hostile_scenario_still_searches() {
    let app = router(Options { scenario: Scenario::Hostile, chats: 400, ..Options::default() });
    let all = r#"{"startTime":"2015-01-01","endTime":"2099-12-31","pageNum":1,"pageSize":500}"#;
    let envelope = post(&app, SEARCH, all).await.json();
    let rows = envelope["data"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 412);
    assert!(envelope.to_string().contains("<script>window.__pwned=1</script>"));
    assert!(rows.iter().any(|row| row["createTime"].is_string()), "some rows carry createTime as text");
    for row in &rows {
        let chat_id = row["chatId"].as_str().expect("chatId stays a string");
        assert_eq!(post(&app, INFO, &info_body(chat_id)).await.json()["code"], json!(200));
    }
    let scripted = r#"{"title":"<SCRIPT>","startTime":"2015-01-01","endTime":"2099-12-31","pageNum":1,"pageSize":500}"#;
    let found = post(&app, SEARCH, scripted).await.json();
    assert!(found["page"]["total"].as_u64().is_some_and(|total| total > 0));
}

#[tokio::test]
async fn start_serves_on_a_real_socket() {
    let (address, server) = start(Options { port: 0, chats: 10, ..Options::default() }).await.expect("starts");
    let body = info_body(SEED_CHAT);
    let mut stream = tokio::net::TcpStream::connect(address).await.expect("connects");
    let request = format!(
        "POST {INFO} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("writes");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("reads");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    let json_start = response.find("\r\n\r\n").map_or(0, |at| at + 4);
    let envelope: Value = serde_json::from_str(&response[json_start..]).expect("JSON body");
    assert_eq!(envelope["data"], fixture()["getChatInfo"]["data"]);
    server.abort();
}

/// A request whose client goes away during a delay is logged as cancelled; one answered
/// as answered: what the console's tests read to see that an aborted fetch really ended.
#[tokio::test]
async fn the_log_says_whether_a_request_was_answered_or_cancelled() {
    let (address, server) = start(Options { port: 0, chats: 10, ..Options::default() }).await.expect("starts");
    let body = info_body(SEED_CHAT);
    let request = |delay: u32| {
        format!(
            "POST {INFO} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nx-op-fault: delay={delay}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    let mut stream = tokio::net::TcpStream::connect(address).await.expect("connects");
    stream.write_all(request(5000).as_bytes()).await.expect("writes");
    tokio::time::sleep(Duration::from_millis(300)).await;
    drop(stream);
    let mut answered = tokio::net::TcpStream::connect(address).await.expect("connects");
    answered.write_all(request(0).as_bytes()).await.expect("writes");
    let mut response = String::new();
    answered.read_to_string(&mut response).await.expect("reads");
    let log_url = format!("http://{address}/__sandbox/requests");
    let deadline = Instant::now() + Duration::from_secs(3);
    let outcomes = loop {
        let mut control = tokio::net::TcpStream::connect(address).await.expect("connects");
        control
            .write_all(format!("GET /__sandbox/requests HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").as_bytes())
            .await
            .expect("writes");
        let mut text = String::new();
        control.read_to_string(&mut text).await.expect("reads");
        let json_start = text.find("\r\n\r\n").map_or(0, |at| at + 4);
        let log: Value = serde_json::from_str(&text[json_start..]).unwrap_or_else(|_| panic!("{log_url}: {text}"));
        let outcomes: Vec<Value> = log["requests"].as_array().into_iter().flatten().map(|r| r["outcome"].clone()).collect();
        if outcomes.first() != Some(&json!("pending")) || Instant::now() > deadline {
            break outcomes;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(outcomes, [json!("cancelled"), json!("answered")]);
    server.abort();
}

/// The chaos scenario's answers to a fixed series of requests: HTTP status, envelope code,
/// whether `total` was there, the first row's id, and what the request log says was done.
async fn chaos_run(seed: u64) -> Vec<(u16, String, String)> {
    let app = router(Options { scenario: Scenario::Chaos, seed, chats: 600, ..Options::default() });
    let mut answers = Vec::new();
    for page in 1..=8 {
        let body = json!({"startTime": "2015-01-01", "endTime": "2099-12-31", "pageNum": page, "pageSize": 20}).to_string();
        // Each page until it succeeds: a request that keeps failing would be a bug.
        for _ in 0..3 {
            let reply = post(&app, SEARCH, &body).await;
            let envelope: Option<Value> = serde_json::from_slice(&reply.body).ok();
            let summary = match &envelope {
                Some(e) => format!("code={} total={} first={}", e["code"], e["page"]["total"], e["data"][0]["chatId"]),
                None => reply.text().chars().take(80).collect(),
            };
            answers.push((reply.status.as_u16(), summary, String::new()));
            if envelope.is_some_and(|e| e["code"] == json!(200)) {
                break;
            }
        }
    }
    let log = send(&app, Method::GET, "/__sandbox/requests", &[], "").await.json();
    let notes: Vec<String> = log["requests"].as_array().into_iter().flatten().map(|r| r["chaos"].as_str().unwrap_or("?").to_owned()).collect();
    assert_eq!(notes.len(), answers.len(), "every request is logged with its chaos turn");
    answers.iter_mut().zip(notes).for_each(|(answer, note)| answer.2 = note);
    answers
}

#[tokio::test(start_paused = true)]
async fn chaos_is_reproducible_per_seed_and_retries_get_through() {
    let first = chaos_run(42).await;
    assert_eq!(chaos_run(42).await, first, "same seed, same answers");
    assert_ne!(chaos_run(43).await, first, "another seed, another run");
    // Every page was answered in the end (at most two failed tries each).
    let answered = first.iter().filter(|(status, summary, _)| *status == 200 && summary.starts_with("code=200")).count();
    assert_eq!(answered, 8, "{first:#?}");
    for (status, summary, note) in &first {
        match note.as_str() {
            n if n.contains("fail=html502") => assert_eq!(*status, 502),
            n if n.contains("fail=waf403") => assert!(*status == 403 && summary.contains("403 Forbidden"), "{summary}"),
            n if n.contains("fail=envelope") => assert!(summary.starts_with("code=500"), "{summary}"),
            n if n.contains("nototal") => assert!(summary.contains("total=null"), "{summary}"),
            _ => {}
        }
    }
}

#[tokio::test(start_paused = true)]
async fn chaos_mixes_every_kind_and_the_truth_is_available() {
    let app = router(Options { scenario: Scenario::Chaos, seed: 7, chats: 600, ..Options::default() });
    let mut notes = String::new();
    for n in 0..120 {
        let body = json!({"startTime": "2015-01-01", "endTime": "2099-12-31", "pageNum": n % 30 + 1, "pageSize": 20 + n / 30}).to_string();
        post(&app, SEARCH, &body).await;
    }
    for entry in send(&app, Method::GET, "/__sandbox/requests", &[], "").await.json()["requests"].as_array().into_iter().flatten() {
        notes.push_str(entry["chaos"].as_str().unwrap_or_default());
        notes.push(' ');
    }
    for kind in ["slow=", "fail=http500", "fail=html502", "fail=waf403", "fail=truncated", "fail=envelope", "nototal", "repeat"] {
        assert!(notes.contains(kind), "{kind} never happened: {notes}");
    }

    // The truth: every matching row without faults, some of them without a chat id.
    let all = r#"{"startTime":"2015-01-01","endTime":"2099-12-31"}"#;
    let truth = post(&app, "/__sandbox/search", all).await.json();
    let rows = truth["rows"].as_array().cloned().unwrap_or_default();
    assert_eq!((truth["total"].as_u64(), rows.len()), (Some(612), 612));
    let blank = rows.iter().filter(|row| row["chatId"] == json!("")).count();
    assert!((5..=40).contains(&blank), "{blank} rows without an id");
    let seed_rows = post(&app, "/__sandbox/search", &SEED_QUERY.replace(r#","pageNum":1,"pageSize":20"#, "")).await.json();
    assert_eq!(seed_rows["rows"], fixture()["chatSearchs"]["data"], "the truth is the API's rows");
    let refused = post(&app, "/__sandbox/search", r#"{"startTime":"2015-01-01"}"#).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert!(refused.json()["error"].as_str().is_some_and(|e| e.contains("endTime")));
}

#[tokio::test]
async fn hint_says_which_token_the_sandbox_takes() {
    let open = router(options());
    assert_eq!(send(&open, Method::GET, "/__sandbox/hint", &[], "").await.json(), json!({"token": null}));
    let locked = router(Options { token: Some("dev-token".into()), ..options() });
    assert_eq!(send(&locked, Method::GET, "/__sandbox/hint", &[], "").await.json(), json!({"token": "dev-token"}));
}

#[tokio::test]
async fn added_conversations_are_dated_by_the_clock_and_found_at_once() {
    let moved = parse_now("2031-02-03T10:00:00+08:00");
    let app = router(Options { now: Some(moved), chats: 200, ..options() });
    let now = send(&app, Method::GET, "/__sandbox/now", &[], "").await.json();
    assert_eq!(now["today"], json!("2031-02-03"));
    let today = r#"{"startTime":"2031-02-03","endTime":"2031-02-03","pageNum":1,"pageSize":1}"#;
    let before = post(&app, "/op/v2/chatSearchs", today).await.json();
    assert_eq!(before["page"]["total"], json!(0), "the generated data end the day before");
    let added = post(&app, "/__sandbox/chats", r#"{"count": 3}"#).await.json();
    let ids: Vec<Value> = added["added"].as_array().cloned().unwrap_or_default();
    assert_eq!(ids.len(), 3);
    let after = post(&app, "/op/v2/chatSearchs", &today.replace(r#""pageSize":1"#, r#""pageSize":10"#)).await.json();
    assert_eq!(after["page"]["total"], json!(3));
    let shown: Vec<Value> = after["data"].as_array().map(|rows| rows.iter().map(|r| r["chatId"].clone()).collect()).unwrap_or_default();
    assert_eq!(shown, ids, "newest first");
    let info = post(&app, "/op/v2/getChatInfo", &format!(r#"{{"chatId":{},"isMsg":false}}"#, ids[0])).await.json();
    assert!(info["data"]["createTime"].as_str().is_some_and(|t| t.starts_with("2031-02-03 10:00:")), "{info}");
    assert_eq!(post(&app, "/__sandbox/chats", "").await.json()["added"].as_array().map(Vec::len), Some(1), "one by default");
    assert_eq!(post(&app, "/__sandbox/chats", r#"{"count": 0}"#).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(post(&app, "/__sandbox/chats", r#"{"cuont": 2}"#).await.status, StatusCode::BAD_REQUEST);
}

fn parse_now(text: &str) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(text).expect("rfc 3339")
}
