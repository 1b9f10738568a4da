// The chat page: streams replies from POST /api/chat/stream (SSE read with fetch), shows citations and tool cards.
"use strict";
(function () {
  const SESSION_KEY = "ta_chat_session";
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  // The AI-generated label (assistant/labels.py, handed over by base.html) shown under every reply.
  const AI_LABEL = (document.querySelector('meta[name="ai-label"]') || {}).content || "";
  const messages = document.getElementById("messages");
  const form = document.getElementById("chat-form");
  const input = document.getElementById("chat-input");
  const send = document.getElementById("send");
  const status = document.getElementById("chat-status");
  const fileInput = document.getElementById("resume-file");
  const dialog = document.getElementById("citation-dialog");
  const dialogBody = document.getElementById("citation-body");
  const dialogTitle = document.getElementById("citation-title");
  const TOOL_LABELS = {
    search_policies: "检索政策文件", match_jobs: "匹配岗位", match_talents: "推荐人才",
    analyze_skills: "分析岗位技能", review_resume: "评审简历", talent_shortage: "分析紧缺人才",
  };
  // Résumé score components and their maxima (assistant/resume/review.py WEIGHTS).
  const COMPONENTS = {
    completeness: ["完整性", 25], quantification: ["量化成果", 25], wording: ["措辞", 20],
    dates: ["时间", 10], privacy: ["隐私", 10], skills: ["技能", 10],
  };
  const SKILL_CATEGORIES = {
    hard_skill: "专业技能", tool: "工具", certificate: "证书", language: "语言", soft_skill: "通用能力", industry_term: "行业知识",
  };
  const SHORTAGE_COLUMNS = {
    kind: "类型", name: "名称", chain: "产业链", shortage_index: "紧缺指数", postings: "岗位数",
    qualified_talents: "合格人才", salary_premium: "薪资溢价",
  };
  // Document-kind labels, from assistant/vocab/kinds.py via the base template.
  const KIND_LABELS = JSON.parse(document.getElementById("kind-labels").textContent);
  let sessionId = localStorage.getItem(SESSION_KEY);
  let busy = false;
  let controller = null;  // aborts the reply being streamed (leaving the page, a new conversation)
  const DRAFT_LABEL = "草稿：正在核对出处，核对不通过的句子会被删去";

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function setBusy(value, text) {
    busy = value;
    send.disabled = value;
    messages.setAttribute("aria-busy", value ? "true" : "false");
    status.textContent = text || "";
  }

  function scrollDown() { window.scrollTo({ top: document.body.scrollHeight }); }

  function hideWelcome() {
    const welcome = document.getElementById("welcome");
    if (welcome) welcome.hidden = true;
  }

  async function errorText(response) {
    try {
      const body = await response.json();
      return body.detail || `请求失败（${response.status}）`;
    } catch (_) {
      return `请求失败（${response.status}）`;
    }
  }

  // --- messages -----------------------------------------------------------------------------------------------
  function addUser(text) {
    hideWelcome();
    messages.append(el("div", { class: "msg user" }, text));
    scrollDown();
  }

  function addSystem(text, cls) {
    hideWelcome();
    const node = el("div", { class: "msg system" + (cls ? " " + cls : "") }, text);
    messages.append(node);
    scrollDown();
    return node;
  }

  function addAssistant() {
    hideWelcome();
    const text = el("div", { class: "text" });
    const node = el("div", { class: "msg assistant" }, text);
    messages.append(node);
    return { node, text, draft: null };
  }

  // The LLM's unchecked tokens go into a provisional box (dimmed, labelled, not copyable, hidden from screen
  // readers) that the checked reply replaces: a sentence the grounding check removes never stays on screen.
  function showDraft(view, text) {
    if (!view.draft) {
      view.draft = el("div", { class: "draft-text" });
      view.text.before(el("div", { class: "draft", "aria-hidden": "true" },
        el("p", { class: "draft-label" }, DRAFT_LABEL), view.draft));
    }
    view.draft.textContent = text;
  }

  function clearDraft(view) {
    view.node.querySelectorAll(".draft").forEach((n) => n.remove());
    view.draft = null;
  }

  // Text with "[n]" markers turned into buttons that open the cited passage.
  function citedText(target, text, citations) {
    target.replaceChildren();
    const byN = new Map((citations || []).map((c) => [Number(c.n), c]));
    let last = 0;
    for (const match of text.matchAll(/\[(\d{1,2})\]/g)) {
      const citation = byN.get(Number(match[1]));
      if (!citation) continue;
      target.append(text.slice(last, match.index));
      target.append(el("button", {
        type: "button", class: "cite", "aria-label": `出处 ${match[1]}：${citation.title}`,
        onclick: () => openCitation(citation),
      }, `[${match[1]}]`));
      last = match.index + match[0].length;
    }
    target.append(text.slice(last));
  }

  function sourcesList(citations) {
    if (!citations || !citations.length) return null;
    return el("div", { class: "sources" }, "出处：",
      el("ol", {}, citations.map((c) => el("li", { value: c.n },
        el("button", { type: "button", onclick: () => openCitation(c) }, c.title)))));
  }

  function renderReply(view, reply) {
    view.node.classList.remove("streaming");
    citedText(view.text, reply.reply || "", reply.citations);
    if (reply.notice) view.node.prepend(el("p", { class: "alert warn notice" }, reply.notice));
    // The offline engine already ends its text with the sources; others get a list of clickable titles.
    const sources = /出处[：:]/.test(reply.reply || "") ? null : sourcesList(reply.citations);
    if (sources) view.node.append(sources);
    const cards = (reply.results || []).map(resultCard).filter(Boolean);
    if (cards.length) {
      foldText(view.text, reply.reply || "", reply.citations);
      view.node.append(el("div", { class: "cards" }, cards));
    }
    view.node.append(el("p", { class: "ai-label" }, reply.ai_label || AI_LABEL));
  }

  // With cards below, the first line of the text stays; the text version of the list folds away.
  function foldText(target, text, citations) {
    const [first, ...rest] = text.split("\n");
    if (rest.join("").trim().length < 80) return;
    citedText(target, first, citations);
    const more = el("div", { class: "text" });
    citedText(more, rest.join("\n"), citations);
    target.after(el("details", { class: "text-version" }, el("summary", {}, "文字版回答"), more));
  }

  // --- citation panel -----------------------------------------------------------------------------------------
  async function openCitation(citation) {
    dialogTitle.textContent = `[${citation.n}] ${citation.title}`;
    const meta = el("dl", { class: "meta-list" },
      el("dt", {}, "类型"), el("dd", {}, KIND_LABELS[citation.kind] || citation.kind));
    dialogBody.replaceChildren(meta, el("h3", {}, "引用原文"), el("blockquote", { class: "passage" }, citation.snippet || ""));
    if (!dialog.open) dialog.showModal();
    try {
      const response = await fetch(`/api/documents/${encodeURIComponent(citation.doc_id)}`, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const doc = await response.json();
      const rows = [
        ["类型", doc.kind_label], ["发文单位", doc.issuer], ["文号", doc.doc_number], ["地区", doc.region],
        ["发布日期", doc.published], ["生效日期", doc.effective], ["有效期至", doc.expires], ["申报截止", doc.deadline],
        ["有效性", doc.validity_label + (doc.superseded_by ? `（由 ${doc.superseded_by} 取代）` : "")],
        ["适用人群", (doc.audience || []).join("、")],
      ].filter(([, value]) => value);
      meta.replaceChildren(...rows.flatMap(([label, value]) => [
        el("dt", {}, label),
        el("dd", { class: label === "有效性" ? `validity ${doc.validity}` : null },
          label === "有效性" ? el("span", { class: "tag " + (doc.validity === "active" ? "ok" : "bad") }, value) : value),
      ]));
    } catch (_) { /* the passage is shown anyway */ }
  }

  document.getElementById("citation-close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (event) => { if (event.target === dialog) dialog.close(); });

  // --- tool result cards --------------------------------------------------------------------------------------
  function pct(value) { return `${Math.round(Math.max(0, Math.min(1, Number(value) || 0)) * 100)}%`; }

  function bar(label, value, text) {
    const width = pct(value);
    return [el("span", {}, label),
      el("span", { class: "bar" + (Number(value) < 0.5 ? " low" : ""), role: "img", "aria-label": `${label} ${width}` },
        el("span", { style: `width:${width}` })),
      el("span", {}, text || width)];
  }

  function jobCard(job) {
    const dims = job.dimensions || [];
    return el("article", { class: "card job" },
      el("div", { class: "card-head" },
        el("h3", { class: "card-title" }, `${job.rank}. `, el("a", { href: `/jobs/${encodeURIComponent(job.id)}` }, job.title)),
        el("span", { class: "score" }, `匹配度 ${pct(job.score)}`)),
      el("p", { class: "meta" }, [job.company, job.district, job.salary, job.education_min && `${job.education_min}及以上`,
        job.years_min ? `${job.years_min} 年经验` : null].filter(Boolean).join(" · ")),
      dims.length ? el("div", { class: "bars" }, dims.map((d) => bar(d.label, d.score))) :
        el("div", { class: "bars" }, bar("总体匹配", job.score)),
      (job.strengths || []).length || (job.gaps || []).length ? el("ul", { class: "points" },
        (job.strengths || []).map((s) => el("li", {}, "✓ ", s)),
        (job.gaps || []).map((g) => el("li", { class: "gap" }, "△ ", g))) : null,
      (job.skills_required || []).length ? el("p", {}, job.skills_required.map((s) => el("span", { class: "tag" }, s))) : null,
      job.passed_hard_filters === false ? el("p", { class: "alert warn" }, "未满足该岗位的硬性要求") : null);
  }

  function talentCard(talent) {
    return el("article", { class: "card talent" },
      el("div", { class: "card-head" }, el("h3", { class: "card-title" }, `${talent.rank}. ${talent.name}`),
        el("span", { class: "score" }, `匹配度 ${pct(talent.score)}`)),
      el("p", { class: "meta" }, [talent.current_title, talent.district, talent.education,
        talent.years_experience != null ? `${talent.years_experience} 年经验` : null].filter(Boolean).join(" · ")),
      el("div", { class: "bars" }, bar("总体匹配", talent.score)),
      el("ul", { class: "points" }, (talent.strengths || []).map((s) => el("li", {}, "✓ ", s))),
      el("p", {}, (talent.skills || []).map((s) => el("span", { class: "tag" }, s))));
  }

  function table(headers, rows) {
    return el("div", { class: "table-wrap" }, el("table", {},
      el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows.map((row) => el("tr", {}, row.map((cell) => el("td", {}, cell)))))));
  }

  function skillsCard(out) {
    return el("article", { class: "card skills" },
      el("h3", { class: "card-title" }, `${out.target_job || out.matched_title}：高频技能`),
      el("p", { class: "meta" }, `依据岗位库中 ${out.postings} 条相近招聘启事（参照 ${out.reference_postings} 条）`),
      table(["技能", "类别", "出现比例", "要求为必备", "关键性"], (out.skills || []).map((s) => [
        s.name, SKILL_CATEGORIES[s.category] || s.category, pct(s.share), pct(s.required_share), s.keyness == null ? "—" : Number(s.keyness).toFixed(1)])),
      out.note ? el("p", { class: "muted" }, out.note) : null);
  }

  function reviewCard(out) {
    const components = Object.entries(out.components || {});
    return el("article", { class: "card review" },
      el("div", { class: "card-head" }, el("h3", { class: "card-title" }, `简历评审：${out.filename}`),
        el("span", { class: "score" }, `${out.score} 分`)),
      components.length ? el("div", { class: "bars" }, components.map(([name, value]) => {
        const [label, max] = COMPONENTS[name] || [name, 100];
        return bar(label, value / max, `${value}/${max}`);
      })) : null,
      (out.suggestions || []).map((s) => el("div", { class: `suggestion ${s.severity}` },
        (s.lines || []).length ? el("div", { class: "line" }, `第 ${s.lines.join("、")} 行`, s.line_text ? `：${s.line_text}` : "") : null,
        el("div", {}, s.message),
        s.example ? el("div", { class: "example" }, "示例：", s.example) : null)),
      coverage("已具备", out.present, "ok"), coverage("埋没未突出", out.buried, "warn"), coverage("缺少", out.missing, "bad"),
      (out.warnings || []).map((w) => el("p", { class: "alert warn" }, w)),
      out.note ? el("p", { class: "muted" }, out.note) : null);
  }

  function coverage(label, items, cls) {
    if (!items || !items.length) return null;
    return el("p", {}, `${label}：`, items.map((s) => el("span", { class: `tag ${cls}` }, s)));
  }

  function cell(value) {
    if (value === null || value === undefined || value === "") return "—";
    return typeof value === "number" && !Number.isInteger(value) ? value.toFixed(2) : String(value);
  }

  function shortageCard(out) {
    const rows = out.rows || [];
    const keys = Object.keys(SHORTAGE_COLUMNS).filter((k) => rows.some((r) => r[k] !== undefined && r[k] !== null));
    return el("article", { class: "card shortage" },
      el("h3", { class: "card-title" }, "紧缺人才分析"),
      keys.length ? table(keys.map((k) => SHORTAGE_COLUMNS[k]), rows.map((r) => keys.map((k) =>
        k === "salary_premium" && typeof r[k] === "number" ? `${r[k] > 0 ? "+" : ""}${Math.round(r[k] * 100)}%` : cell(r[k])))) : null,
      el("p", { class: "meta" }, `数据日期 ${out.data_date}；方法：${out.method}`),
      el("p", {}, el("a", { href: "/insights" }, "查看人才洞察")));
  }

  function resultCard(result) {
    const out = result.output || {};
    switch (result.tool) {
      case "match_jobs": return (out.jobs || []).length ? el("div", { class: "cards" }, out.jobs.map(jobCard)) : null;
      case "match_talents": return (out.talents || []).length ? el("div", { class: "cards" }, out.talents.map(talentCard)) : null;
      case "analyze_skills": return (out.skills || []).length ? skillsCard(out) : null;
      case "review_resume": return reviewCard(out);
      case "talent_shortage": return shortageCard(out);
      default: return null;  // search_policies: its passages are the citations
    }
  }

  // --- streaming ----------------------------------------------------------------------------------------------
  // Server-sent events from a fetch body: blocks separated by a blank line, "event:" and "data:" fields.
  async function* sseEvents(response) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      buffer += decoder.decode(value || new Uint8Array(), { stream: !done });
      const blocks = buffer.split(/\r?\n\r?\n/);
      buffer = done ? "" : blocks.pop();
      for (const block of blocks) {
        let type = "message";
        const data = [];
        for (const line of block.split(/\r?\n/)) {
          if (line.startsWith("event:")) type = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
        }
        if (data.length) yield { type, data: data.join("\n") };
      }
      if (done) return;
    }
  }

  function parse(data) { try { return JSON.parse(data); } catch (_) { return { text: data }; } }

  // One turn: sentences of an offline reply are appended as they arrive; LLM tokens fill the draft box; the "done"
  // event's checked reply replaces both. The log stays aria-busy meanwhile, so a screen reader reads the final reply
  // once, and the status line says what is happening.
  async function ask(message) {
    if (busy) return;
    addUser(message);
    const view = addAssistant();
    view.node.classList.add("streaming");
    setBusy(true, "正在思考…");
    const aborter = new AbortController();
    controller = aborter;
    let draft = "";
    try {
      const response = await fetch("/api/chat/stream", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "text/event-stream", "X-CSRF-Token": csrf },
        body: JSON.stringify({ session_id: sessionId, message }),
        signal: aborter.signal,
      });
      if (!response.ok) throw new Error(await errorText(response));
      let finished = false;
      for await (const event of sseEvents(response)) {
        const data = parse(event.data);
        if (event.type === "delta") {
          if (data.draft) {
            draft += data.text || "";
            showDraft(view, draft);
            status.textContent = "正在回答…（草稿核对后显示正式回答）";
          } else {
            view.text.append(data.text || "");
            status.textContent = "正在回答…";
          }
          scrollDown();
        } else if (event.type === "tool") {
          const call = data.tool_call || data;
          status.textContent = `正在${TOOL_LABELS[call.tool] || "调用工具"}…`;
        } else if (event.type === "notice") {
          draft = "";
          clearDraft(view);  // the model's draft is not used; the offline answer follows
          view.node.prepend(el("p", { class: "alert warn notice" }, data.text || ""));
        } else if (event.type === "done") {
          const reply = data.reply && typeof data.reply === "object" ? data.reply : data;  // contract allows a wrapper
          if (reply.session_id) { sessionId = reply.session_id; localStorage.setItem(SESSION_KEY, sessionId); }
          view.node.querySelectorAll(".notice").forEach((n) => n.remove());
          clearDraft(view);
          renderReply(view, reply);
          finished = true;
        } else if (event.type === "error") {
          throw new Error(data.detail || data.text || "回答失败，请稍后再试。");
        }
      }
      if (!finished) throw new Error("连接中断，回答不完整，请重试。");
    } catch (error) {
      view.node.classList.remove("streaming");
      clearDraft(view);
      if (aborter.signal.aborted) {
        view.node.append(el("p", { class: "alert warn" }, "已停止回答。"));
      } else {
        const partial = view.text.textContent.trim() ? "（以上回答不完整）" : "";
        view.node.append(el("p", { class: "alert error", role: "alert" },
          (error.message || "回答失败，请稍后再试。") + partial));
      }
    }
    if (controller === aborter) controller = null;
    setBusy(false, "");
    scrollDown();
  }

  function stopStreaming() { if (controller) controller.abort(); }

  async function upload(file) {
    if (busy || !file) return;
    const body = new FormData();
    body.append("file", file);
    if (sessionId) body.append("session_id", sessionId);
    setBusy(true, `正在读取简历 ${file.name}…`);
    try {
      const response = await fetch("/api/chat/resume", { method: "POST", headers: { "X-CSRF-Token": csrf }, body });
      if (!response.ok) throw new Error(await errorText(response));
      const result = await response.json();
      sessionId = result.session_id;
      localStorage.setItem(SESSION_KEY, sessionId);
      const note = addSystem(result.summary || `已收到简历《${file.name}》。`);
      note.append(el("span", { class: "starters" },
        el("button", { type: "button", class: "chip", onclick: () => ask("帮我看看简历怎么改") }, "帮我看看简历怎么改"),
        el("button", { type: "button", class: "chip", onclick: () => ask("推荐适合我的岗位") }, "推荐适合我的岗位")));
      setBusy(false, "");
    } catch (error) {
      addSystem(error.message || "上传失败。", "error");
      setBusy(false, "");
    }
    fileInput.value = "";
  }

  async function restore() {
    if (!sessionId) return;
    try {
      const response = await fetch(`/api/chat/${encodeURIComponent(sessionId)}`, { headers: { Accept: "application/json" } });
      if (!response.ok) {
        if (response.status === 404) { localStorage.removeItem(SESSION_KEY); sessionId = null; }
        return;
      }
      const body = await response.json();
      const history = Array.isArray(body) ? body : body.messages || [];
      for (const message of history) {
        if (message.role === "user") addUser(message.content);
        else renderReply(addAssistant(), { reply: message.content, citations: message.citations, results: message.results });
      }
    } catch (_) { /* a fresh conversation then */ }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const message = input.value.trim();
    if (!message || busy) return;  // keep what was typed while a reply streams
    input.value = "";
    ask(message);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  fileInput.addEventListener("change", () => upload(fileInput.files[0]));
  document.querySelectorAll(".welcome .chip").forEach((chip) => chip.addEventListener("click", () => ask(chip.textContent)));
  window.addEventListener("pagehide", stopStreaming);  // leaving the page ends the turn on the server too
  document.getElementById("new-chat").addEventListener("click", () => {
    stopStreaming();
    localStorage.removeItem(SESSION_KEY);
    sessionId = null;
    messages.querySelectorAll(".msg").forEach((node) => node.remove());
    const welcome = document.getElementById("welcome");
    if (welcome) welcome.hidden = false;
    input.focus();
  });
  restore();
})();
