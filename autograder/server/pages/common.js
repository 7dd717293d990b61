// Shared by the two pages: the token (kept in this browser only), JSON calls, safe text.
const TOKEN_KEY = "rnn-ch09-token";
function token() { return localStorage.getItem(TOKEN_KEY) || ""; }
function saveToken(value) { localStorage.setItem(TOKEN_KEY, value.trim()); }
async function api(path, options = {}) {
  const headers = Object.assign({ Authorization: "Bearer " + token() }, options.headers || {});
  const response = await fetch(path, Object.assign({}, options, { headers }));
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : await response.blob();
  if (!response.ok) { throw new Error((body && body.error) || ("HTTP " + response.status)); }
  return body;
}
function el(tag, text, attrs = {}) {  // text is always text: feedback can never become markup
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}
function score(s) {  // "20 / 24 (수동 4점 대기)": the points a person still grades are said, never hidden in the total
  if (s.score === null || s.score === undefined) return "";
  return `${s.score} / ${s.max_score}` + (s.manual_max_score ? ` (수동 ${s.manual_max_score}점 대기)` : "");
}
const STATUS = { queued: "대기 중", running: "채점 중", graded: "채점 완료", error: "오류", held: "채점 지연" };
function setupToken(onSaved) {
  const input = document.getElementById("token");
  input.value = token();
  document.getElementById("save-token").addEventListener("click", () => { saveToken(input.value); onSaved(); });
}
