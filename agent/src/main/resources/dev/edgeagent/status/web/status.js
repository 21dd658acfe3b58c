// The edge-agent status page: one EventSource, two kinds of event. "status" (every second)
// carries the agent's facts; "preview" carries one camera's latest anonymized JPEG. Everything
// is written with textContent, never parsed as HTML: a camera id or a log line cannot inject markup.
"use strict";

const cards = new Map();

function el(tag, attrs, text) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function card(id) {
  let c = cards.get(id);
  if (c) return c;
  const root = el("article", { class: "camera", "data-camera": id });
  const title = el("h2", {}, id);
  const state = el("span", { class: "state" }, "");
  title.appendChild(state);
  const img = el("img", { class: "preview", alt: "anonymized preview of " + id, "data-seq": "" });
  const figures = el("div", { class: "figures" });
  const fig = (name, label) => {
    const d = el("div");
    const b = el("b", { "data-figure": name }, "–");
    d.append(b, el("span", { class: "muted" }, label));
    figures.appendChild(d);
    return b;
  };
  c = {
    root, state, img,
    fps: fig("fps", "frames/s"),
    frames: fig("frames", "frames"),
    latency: fig("latency", "ms latency"),
    faces: fig("faces", "faces/min"),
    plates: fig("plates", "plates/min"),
    dropped: fig("dropped", "dropped"),
    drops: el("ul", { class: "drops" }),
    detail: el("div", { class: "detail" }),
  };
  root.append(title, img, figures, c.drops, c.detail);
  document.getElementById("cameras").appendChild(root);
  cards.set(id, c);
  return c;
}

function age(ms) {
  if (ms < 1000) return ms + " ms";
  if (ms < 120000) return (ms / 1000).toFixed(1) + " s";
  return Math.round(ms / 60000) + " min";
}

function showStatus(s) {
  const overall = document.getElementById("overall");
  overall.textContent = s.status;
  overall.dataset.status = s.status;
  document.getElementById("updated").textContent = "updated " + new Date(s.at_ms).toLocaleTimeString();
  for (const [id, cam] of Object.entries(s.cameras || {})) {
    const c = card(id);
    c.state.textContent = cam.state || "waiting";
    c.state.className = "state state-" + (cam.state || "none");
    c.fps.textContent = cam.fps !== undefined ? cam.fps.toFixed(1) : "0.0";
    c.frames.textContent = cam.frames !== undefined ? cam.frames : (cam.anonymized || 0);
    c.latency.textContent = cam.latency_ms !== undefined ? Math.round(cam.latency_ms) : "–";
    c.faces.textContent = cam.faces_per_min || 0;
    c.plates.textContent = cam.plates_per_min || 0;
    const drops = Object.entries(cam.dropped || {}).filter(([, n]) => n > 0);
    c.dropped.textContent = drops.reduce((a, [, n]) => a + n, 0);
    c.drops.replaceChildren(...drops.map(([reason, n]) => el("li", {}, reason + ": " + n)));
    c.detail.textContent = cam.detail ? cam.detail : "";
  }
  const link = document.getElementById("link");
  const rows = [];
  if (s.broker) {
    rows.push(["broker", s.broker.state], ["bootstrap", s.broker.bootstrap], ["topic", s.broker.topic],
      ["link", s.broker.link]);
    if (s.broker.last_error) rows.push(["last error", s.broker.last_error]);
  }
  if (s.spool) {
    rows.push(["spool depth", s.spool.pending + (s.spool.pending === 1 ? " record, " : " records, ") + (s.spool.bytes / 1048576).toFixed(1) + " MiB"],
      ["oldest record", s.spool.pending > 0 ? age(s.spool.oldest_age_ms) : "none waiting"],
      ["spool full", s.spool.full ? (s.spool.disk_full ? "yes (disk full)" : "yes") : "no"],
      ["dropped oldest", s.spool.dropped_oldest]);
  }
  if (!s.broker && !s.spool) rows.push(["sink", "directory (no broker)"]);
  if (s.reload) rows.push(["last reload", s.reload.status + (s.reload.error ? ": " + s.reload.error : "")]);
  link.replaceChildren(...rows.flatMap(([k, v]) => [el("dt", {}, k), el("dd", { "data-field": k }, String(v))]));
  document.querySelector("#models tbody").replaceChildren(...(s.models || []).map(m => {
    const tr = el("tr");
    tr.append(el("td", {}, m.id), el("td", {}, ""), el("td", {}, m.provider));
    tr.children[1].appendChild(el("code", { title: m.sha256 || "" }, (m.sha256 || "unpinned").slice(0, 12)));
    return tr;
  }));
  const errors = s.errors || [];
  document.getElementById("errors").replaceChildren(...(errors.length ? errors.map(e =>
    el("li", { class: e.level }, e.at + " " + e.logger + ": " + e.message)) : [el("li", { class: "muted" }, "none")]));
}

function showPreview(p) {
  const c = card(p.camera);
  c.img.src = "data:image/jpeg;base64," + p.jpeg;
  c.img.dataset.seq = p.seq;
}

const stream = new EventSource("/status/stream");
stream.addEventListener("status", e => showStatus(JSON.parse(e.data)));
stream.addEventListener("preview", e => showPreview(JSON.parse(e.data)));
stream.onerror = () => {
  const overall = document.getElementById("overall");
  overall.textContent = "reconnecting…";
  overall.dataset.status = "";
};
