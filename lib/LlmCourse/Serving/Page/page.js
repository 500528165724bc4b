// The course's chat page (served by `llmcourse serve`, see ChatPage.cs). Plain JavaScript and no libraries: it talks to
// this server's OpenAI API like any client — streamed chat completions with logprobs, plain completions for the base
// model — and reads the server-sent events itself. Model output goes into the page only as text (textContent, never
// innerHTML), so a reply that writes <script> shows those characters.
"use strict";

const $ = id => document.getElementById(id);
const state = { models: [], defaults: {}, columns: [], abort: null };
const tokenData = new WeakMap();   // a token's <span> -> its logprob entries, for the tooltip
let pinned = null;                 // the token whose alternatives stay open after a tap or click

// ---- start: the catalog, the pickers, the controls with the course's defaults ----

async function init() {
  let catalog;
  try { catalog = await getJson("/page/models"); }
  catch (e) { $("notes").textContent = "Cannot reach the server: is llmcourse serve still running?"; return; }
  state.models = catalog.models;
  state.defaults = catalog.defaults;
  const served = state.models.filter(m => !m.unavailable);
  const pick = (...names) => names.map(n => served.find(m => m.id === n)).find(Boolean);
  const chat = served.filter(m => m.kind === "chat");
  const first = pick("assistant") ?? chat[0] ?? served[0];
  const second = pick("base") ?? served.find(m => m !== first);
  const third = pick("reasoner") ?? served.find(m => m !== first && m !== second);
  fillPicker($("model-0"), first, false);
  fillPicker($("model-1"), second, false);
  fillPicker($("model-2"), third, true);
  $("temperature").value = catalog.defaults.temperature;
  $("top-k").value = catalog.defaults.top_k ?? "";
  $("max-tokens").value = catalog.defaults.max_tokens;
  for (const id of ["model-0", "model-1", "model-2", "compare"]) $(id).addEventListener("change", layout);
  $("reset").addEventListener("click", layout);
  $("ask").addEventListener("submit", e => { e.preventDefault(); state.abort ? state.abort.abort() : send(); });
  $("prompt").addEventListener("keydown", e => {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); $("ask").requestSubmit(); }
  });
  $("prompt").addEventListener("input", debounce(countPrompt, 250));
  wireTooltip();
  layout();
  document.body.dataset.ready = "1";
}

function fillPicker(select, chosen, optional) {
  if (optional) select.append(new Option("(none)", ""));
  for (const m of state.models) {
    const label = m.id + (m.kind === "base" ? " (base: continues text)" : "") + (m.unavailable ? (m.built ? " (not served)" : " (not built)") : "");
    select.append(new Option(label, m.id));
  }
  select.value = chosen ? chosen.id : "";
}

const modelById = id => state.models.find(m => m.id === id);

/** One column per chosen model (two or three when comparing); a new layout starts new conversations. */
function layout() {
  document.body.classList.toggle("comparing", $("compare").checked);
  const ids = ["model-0", ...($("compare").checked ? ["model-1", "model-2"] : [])].map(id => $(id).value).filter(Boolean);
  const chosen = [...new Set(ids)].map(modelById);
  $("columns").replaceChildren();
  state.columns = chosen.map(model => {
    const el = element("section", "column");
    el.dataset.model = model.id;
    const title = element("h2", null, model.id);
    title.append(element("span", "kind", model.kind === "base" ? "base model: continues your text" : model.tools ? "chat, with tools" : "chat"));
    const messages = element("div", "messages");
    const error = element("p", "error");
    error.hidden = true;
    const stats = element("p", "stats");
    const prompt = element("details", "prompt");
    prompt.append(element("summary", null, "The prompt as the model sees it"), element("div", "chips"));
    el.append(title, messages, error, stats, prompt);
    $("columns").append(el);
    return { model, el, messages, error, stats, prompt, history: [] };
  });
  $("notes").textContent = chosen.filter(m => m.unavailable).map(m => m.unavailable).join("\n");
  countPrompt();
}

// ---- sending: every column at once ----

async function send() {
  const text = $("prompt").value;
  if (!text.trim() || state.columns.length === 0) return;
  $("prompt").value = "";
  state.abort = new AbortController();
  $("send").textContent = "Stop";
  try { await Promise.all(state.columns.map(c => run(c, text, state.abort.signal))); }
  finally {
    state.abort = null;
    $("send").textContent = "Send";
    countPrompt();
  }
}

function requestBody(column, text) {
  const body = { model: column.model.id, stream: true, stream_options: { include_usage: true } };
  const temperature = parseFloat($("temperature").value);
  const topK = parseInt($("top-k").value, 10);
  const maxTokens = parseInt($("max-tokens").value, 10);
  if (!isNaN(temperature)) body.temperature = temperature;
  if (!isNaN(topK)) body.top_k = topK;
  // No more than the model's context holds (a tiny model's may be smaller than the box says): the server refuses more.
  if (!isNaN(maxTokens)) body.max_tokens = Math.min(maxTokens, column.model.context_length ?? maxTokens);
  if (column.model.kind === "base") return { ...body, prompt: text, logprobs: Math.min(5, state.defaults.top_logprobs) };
  return { ...body, messages: [...column.history, { role: "user", content: text }], logprobs: true, top_logprobs: state.defaults.top_logprobs };
}

/** One model's reply: streamed into its column token by token, each shaded by its probability. */
async function run(column, text, signal) {
  const base = column.model.kind === "base";
  const body = requestBody(column, text);
  column.error.hidden = true;
  column.el.dataset.state = "waiting";
  delete column.el.dataset.error;
  column.stats.textContent = "waiting for the model…";
  let reply;
  if (base) {
    reply = element("div", "msg assistant");
    reply.append(element("span", "document", text));
    column.messages.append(reply);
  } else {
    column.messages.append(element("div", "msg user", text));
    reply = element("div", "msg assistant");
    column.messages.append(reply);
  }
  const started = performance.now();
  let firstMs = null, tokens = 0, finish = null, replyText = "";
  try {
    const response = await fetch(base ? "/v1/completions" : "/v1/chat/completions",
      { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), signal });
    showPrompt(column, body);
    if (!response.ok) {
      const error = await errorOf(response);
      return fail(column, error.message, error.code ?? String(response.status), reply);
    }
    column.el.dataset.state = "streaming";
    for await (const data of events(response)) {
      if (data.error) return fail(column, data.error.message, data.error.code ?? "stream_error", null);
      const choice = data.choices && data.choices[0];
      if (!choice) continue;   // the usage chunk
      const piece = base ? choice.text : choice.delta && choice.delta.content;
      const entries = base ? legacyEntries(choice.logprobs) : (choice.logprobs && choice.logprobs.content) || [];
      for (const call of (!base && choice.delta && choice.delta.builtin_tool_calls) || [])
        reply.append(element("span", "tool", `🔧 ${call.call} → ${call.result}`));
      if (piece) {
        if (firstMs === null) {
          firstMs = performance.now() - started;
          column.el.dataset.ttftMs = String(Math.round(firstMs));
        }
        addToken(reply, piece, entries);
        replyText += piece;
        tokens += Math.max(1, entries.length);
      }
      if (choice.finish_reason) finish = choice.finish_reason;
    }
  } catch (e) {
    if (e.name === "AbortError") return fail(column, "Stopped.", "stopped", null);
    return fail(column, "Cannot reach the server: is llmcourse serve still running? (" + e.message + ")", "network", reply);
  }
  if (!base) column.history.push({ role: "user", content: text }, { role: "assistant", content: replyText });
  const seconds = (performance.now() - started) / 1000;
  column.stats.textContent = `${tokens} tokens · first token after ${firstMs === null ? "–" : Math.round(firstMs) + " ms"}` +
    ` · ${(tokens / seconds).toFixed(0)} tokens/s` + (finish === "length" ? " · stopped at the token limit" : "");
  column.el.dataset.state = "done";
}

function fail(column, message, code, reply) {
  if (reply && reply.childNodes.length === 0) reply.remove();
  column.error.textContent = message;
  column.error.hidden = false;
  column.el.dataset.error = code;
  column.el.dataset.state = "error";
  column.stats.textContent = "";
}

async function errorOf(response) {
  try { return (await response.json()).error; }
  catch { return { message: `The server answered ${response.status} ${response.statusText}.`, code: String(response.status) }; }
}

/** The data of each server-sent event, until [DONE]. */
async function* events(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      for (const line of event.split("\n")) {
        if (!line.startsWith("data: ")) continue;
        const data = line.slice(6);
        if (data === "[DONE]") return;
        yield JSON.parse(data);
      }
    }
  }
}

/** The plain completions' parallel lists as chat-style entries. */
function legacyEntries(logprobs) {
  if (!logprobs) return [];
  return logprobs.tokens.map((token, i) => ({
    token, logprob: logprobs.token_logprobs[i],
    top_logprobs: Object.entries(logprobs.top_logprobs[i] || {}).map(([t, lp]) => ({ token: t, logprob: lp })),
  }));
}

// ---- tokens and their alternatives ----

function addToken(reply, text, entries) {
  const span = element("span", "tok", text);
  span.tabIndex = 0;
  if (entries.length > 0) {
    const p = Math.min(...entries.map(e => Math.exp(e.logprob)));
    span.dataset.p = p.toFixed(4);
    span.classList.add(p >= 0.9 ? "p0" : p >= 0.7 ? "p1" : p >= 0.4 ? "p2" : p >= 0.15 ? "p3" : "p4");
    tokenData.set(span, entries);
  }
  reply.append(span);
}

function wireTooltip() {
  const columns = $("columns");
  const tokenOf = e => e.target instanceof Element ? e.target.closest(".tok") : null;
  columns.addEventListener("mouseover", e => { const t = tokenOf(e); if (t && !pinned) showTip(t); });
  columns.addEventListener("mouseout", e => { if (tokenOf(e) && !pinned) hideTip(); });
  columns.addEventListener("focusin", e => { const t = tokenOf(e); if (t) showTip(t); });
  columns.addEventListener("focusout", e => { if (tokenOf(e) && !pinned) hideTip(); });
  // A tap (or click) pins the alternatives open; a tap elsewhere closes them.
  document.addEventListener("click", e => {
    const t = tokenOf(e);
    if (t && t !== pinned) { pinned = t; showTip(t); }
    else if (!(e.target instanceof Element && e.target.closest("#tip"))) { pinned = null; hideTip(); }
  });
  document.addEventListener("keydown", e => { if (e.key === "Escape") { pinned = null; hideTip(); } });
}

function showTip(span) {
  const entries = tokenData.get(span);
  const tip = $("tip");
  if (!entries) return;
  tip.replaceChildren();
  for (const entry of entries) {
    tip.append(element("div", "head", `chose ${visible(entry.token)} at ${percent(Math.exp(entry.logprob))}; it also considered:`));
    const table = element("table");
    for (const alt of entry.top_logprobs) {
      const p = Math.exp(alt.logprob);
      const row = element("tr", alt.token === entry.token ? "chosen" : null);
      const bar = element("span", "bar");
      bar.style.width = `${Math.max(1, Math.round(p * 80))}px`;   // CSSOM, which the content security policy allows
      const barCell = element("td");
      barCell.append(bar);
      row.append(element("td", "mono", visible(alt.token)), element("td", "p", percent(p)), barCell);
      table.append(row);
    }
    tip.append(table);
  }
  const box = span.getBoundingClientRect();
  tip.hidden = false;
  tip.style.left = `${Math.max(4, Math.min(window.scrollX + box.left, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 4))}px`;
  tip.style.top = `${window.scrollY + box.bottom + 6}px`;
}

function hideTip() { $("tip").hidden = true; }

// ---- the prompt as the model sees it ----

async function showPrompt(column, body) {
  try {
    const prompt = await postJson("/page/prompt", body);
    const chips = column.prompt.querySelector(".chips");
    chips.replaceChildren(...prompt.tokens.map(t => {
      const chip = element("span", t.special ? "chip special" : "chip");
      chip.append(element("span", "t", visible(t.text)), element("span", "id", String(t.id)));
      return chip;
    }));
    column.prompt.querySelector("summary").textContent =
      `The prompt as the model sees it: ${prompt.count} of ${prompt.context_length} tokens`;
  } catch { /* the request's own error already says what is wrong */ }
}

/** The first column's prompt length as the user types, so an over-long prompt shows before it is sent. */
async function countPrompt() {
  const counter = $("prompt-count");
  const column = state.columns[0];
  if (!column || column.model.unavailable) { counter.textContent = ""; return; }
  try {
    const prompt = await postJson("/page/prompt", requestBody(column, $("prompt").value));
    const over = prompt.count >= prompt.context_length;
    counter.textContent = `${column.model.id} reads ${prompt.count} of its ${prompt.context_length} tokens` +
      (over ? ": over its context, it has no room to answer" : "");
    counter.classList.toggle("over", over);
  } catch { counter.textContent = ""; }
}

// ---- small helpers ----

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;   // text, never HTML
  return el;
}

/** A token's text with its spaces and line breaks made visible. */
function visible(text) {
  if (text === "") return "∅";
  return text.replace(/ /g, "␣").replace(/\n/g, "↵").replace(/\t/g, "⇥");
}

function percent(p) { return p >= 0.995 ? "100%" : p >= 0.1 ? `${(p * 100).toFixed(0)}%` : p >= 0.0001 ? `${(p * 100).toFixed(2)}%` : "<0.01%"; }

async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

async function postJson(url, body) {
  const response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

function debounce(f, ms) {
  let timer;
  return () => { clearTimeout(timer); timer = setTimeout(f, ms); };
}

document.addEventListener("DOMContentLoaded", init);
