// The review page's behaviour: the cluster list with search and filters, each cluster's
// variants with the words that differ from its caption marked, the near misses, and the
// decisions a reviewer downloads. Every caption is put in the page with textContent: text,
// never markup.
(() => {
  "use strict";
  const data = JSON.parse(document.getElementById("capdedup-data").textContent);
  const $ = (id) => document.getElementById(id);
  const PAGE = 100;
  const MEMBERS_OPEN = 5;

  /** An element with attributes and children (strings become text nodes). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === false || v === null || v === undefined) continue;
      if (k === "className") node.className = v;
      else node.setAttribute(k, v === true ? "" : String(v));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  const fmt = new Intl.NumberFormat("en");
  const n = (x) => fmt.format(x);

  /**
   * `text` with the words that are not in `reference` marked: the words outside a longest
   * common subsequence of the two word lists. Very long captions are shown unmarked.
   */
  function marked(reference, text) {
    const frag = document.createDocumentFragment();
    const a = reference.split(/\s+/).filter(Boolean);
    const parts = text.split(/(\s+)/);
    const b = parts.filter((p, i) => i % 2 === 0 && p !== "");
    if (a.length * b.length > 400000) {
      frag.append(text);
      return frag;
    }
    // LCS table over words, from the ends.
    const m = a.length, k = b.length;
    const dp = Array.from({ length: m + 1 }, () => new Uint32Array(k + 1));
    for (let i = m - 1; i >= 0; i--) {
      for (let j = k - 1; j >= 0; j--) {
        dp[i][j] = a[i] === b[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
      }
    }
    const keep = new Set();
    for (let i = 0, j = 0; i < m && j < k; ) {
      if (a[i] === b[j]) { keep.add(j); i++; j++; }
      else if (dp[i + 1][j] >= dp[i][j + 1]) i++;
      else j++;
    }
    let w = 0;
    for (let p = 0; p < parts.length; p++) {
      const part = parts[p];
      if (p % 2 === 1 || part === "") { frag.append(part); continue; }
      if (keep.has(w)) frag.append(part);
      else frag.append(el("mark", { title: "differs from the cluster's caption" }, part));
      w++;
    }
    return frag;
  }

  // Decisions, keyed so that the same pair is one decision.
  const decisions = new Map();
  function decisionKey(d) { return [d.decision, d.a, d.b].join("\u0000"); }
  function toggle(button, decision) {
    const key = decisionKey(decision);
    if (decisions.has(key)) { decisions.delete(key); button.setAttribute("aria-pressed", "false"); }
    else { decisions.set(key, decision); button.setAttribute("aria-pressed", "true"); }
    const count = decisions.size;
    $("decision-count").textContent = count === 0 ? "No decisions yet."
      : `${count} decision${count === 1 ? "" : "s"} to download.`;
    $("download").disabled = count === 0;
  }
  function decisionButton(label, decision, describe) {
    const pressed = decisions.has(decisionKey(decision));
    const b = el("button", { type: "button", "aria-pressed": pressed ? "true" : "false",
      "aria-label": describe, className: "decide" }, label);
    b.addEventListener("click", () => toggle(b, decision));
    return b;
  }
  $("download").addEventListener("click", () => {
    const list = [...decisions.values()].sort((x, y) =>
      x.decision.localeCompare(y.decision) || (x.a < y.a ? -1 : x.a > y.a ? 1 : 0)
      || (x.b < y.b ? -1 : x.b > y.b ? 1 : 0));
    const text = JSON.stringify({ version: 1, decisions: list }, null, 2) + "\n";
    const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    const a = el("a", { href: url, download: "capdedup-decisions.json" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  });

  function clusterBody(c) {
    const body = el("div", { className: "body" });
    const rows = c.variants.map(([text, count, sim]) => {
      const canonical = text === c.caption;
      const cell = el("td", { className: "text" });
      if (c.credit_only) cell.append(el("em", {}, "(only a credit)"));
      else if (canonical) cell.append(text, " ", el("span", { className: "canonical-tag" }, "the cluster's caption"));
      else cell.append(marked(c.caption, text));
      const action = el("td", {});
      if (!canonical && !c.credit_only && text !== "") {
        action.append(decisionButton("Split", { decision: "split", a: c.caption, b: text },
          `Split this variant from the cluster: ${text.slice(0, 80)}`));
      }
      return el("tr", {}, el("td", { className: "num" }, n(count)), cell,
        el("td", { className: "num" }, sim.toFixed(4)), action);
    });
    body.append(el("table", {},
      el("caption", { className: "note" }, "Variants, most frequent first; marked words differ from the cluster's caption."),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "records"), el("th", { scope: "col" }, "variant"),
        el("th", { scope: "col" }, "similarity"), el("th", { scope: "col" }, el("span", { className: "note" }, "decision")))),
      el("tbody", {}, ...rows)));
    if (c.credits.length) {
      body.append(el("p", {}, el("strong", {}, "Credits: "),
        c.credits.map(([t, k]) => `${t} (${n(k)})`).join("; ")));
    }
    const where = (m) => `${data.files[m[0]]}:${m[1]}`;
    const members = el("p", { className: "members" }, el("strong", {}, "Records: "),
      c.members.slice(0, MEMBERS_OPEN).map(where).join(", "));
    body.append(members);
    const rest = c.members.length - MEMBERS_OPEN;
    if (rest > 0 || c.more > 0) {
      const more = el("details", {}, el("summary", {}, `${n(rest + c.more)} more records`),
        el("p", { className: "members" }, c.members.slice(MEMBERS_OPEN).map(where).join(", ")
          + (c.more > 0 ? ` … and ${n(c.more)} more (capdedup cluster --format json lists them all)` : "")));
      body.append(more);
    }
    return body;
  }

  function clusterItem(c) {
    const details = el("details", { "data-id": c.id });
    const caption = c.credit_only ? `[credit only] ${c.credits.map((x) => x[0]).join(" / ")}` : c.caption;
    const variants = c.variants.length;
    details.append(el("summary", {},
      el("span", { className: "count", title: "records" }, n(c.count)),
      el("span", { className: "caption" }, caption),
      el("span", { className: "meta" }, variants > 1
        ? `${variants} variants · lowest similarity ${c.min_similarity.toFixed(4)}` : "1 variant")));
    details.addEventListener("toggle", () => {
      if (details.open && details.children.length === 1) details.append(clusterBody(c));
    }, { passive: true });
    return el("li", {}, details);
  }

  let matches = data.clusters;
  let shown = PAGE;
  function render() {
    const list = $("clusters");
    list.replaceChildren(...matches.slice(0, shown).map(clusterItem));
    const total = data.clusters.length;
    $("status").textContent = matches.length === total
      ? `${n(total)} cluster${total === 1 ? "" : "s"}${shown < total ? `, the first ${n(shown)} shown` : ""}.`
      : `${n(matches.length)} of ${n(total)} clusters match${shown < matches.length ? `, the first ${n(shown)} shown` : ""}.`;
    $("more").hidden = shown >= matches.length;
  }
  function filter() {
    const q = $("q").value.trim().toLowerCase();
    const min = Math.max(1, Number($("min-size").value) || 1);
    const withVariants = $("has-variants").checked;
    const file = $("file").value;
    matches = data.clusters.filter((c) =>
      c.count >= min
      && (!withVariants || c.variants.length > 1)
      && (file === "" || c.files.includes(Number(file)))
      && (q === "" || c.caption.toLowerCase().includes(q)
        || c.variants.some((v) => v[0].toLowerCase().includes(q))
        || c.credits.some((v) => v[0].toLowerCase().includes(q))));
    shown = PAGE;
    render();
  }
  data.files.forEach((f, i) => $("file").append(el("option", { value: i }, f)));
  $("filters").addEventListener("submit", (e) => e.preventDefault());
  for (const id of ["q", "min-size", "has-variants", "file"]) $(id).addEventListener("input", filter);
  $("more").addEventListener("click", () => { shown += PAGE; render(); });

  function nearItem(x) {
    const [ca, cb] = x.clusters;
    return el("li", {},
      el("span", { className: "sim" }, x.similarity.toFixed(4)),
      el("div", { className: "pair" },
        el("div", { "data-side": "A" }, x.a),
        el("div", { "data-side": "B" }, marked(x.a, x.b))),
      el("span", { className: "why" }, `${x.why} · clusters ${ca + 1} and ${cb + 1}`),
      decisionButton("Merge", { decision: "merge", a: x.a, b: x.b },
        `Merge these two captions: ${x.a.slice(0, 60)} and ${x.b.slice(0, 60)}`));
  }
  $("near").replaceChildren(...data.near.map(nearItem));
  $("near-status").textContent = data.near.length === 0
    ? "No near misses: no two clusters have captions this close."
    : `${n(data.near.length)} closest pairs, most similar first.`;

  // Printing shows what is open on screen and the first page of clusters opened.
  window.addEventListener("beforeprint", () => {
    for (const d of document.querySelectorAll("#clusters details")) {
      if (!d.open) d.open = true;
    }
  });
  render();
})();
