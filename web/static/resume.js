// Résumé page: show the chosen target title's high-frequency skills from the job library.
(function () {
  "use strict";
  const input = document.getElementById("target");
  const box = document.getElementById("target-skills");
  if (!input || !box) return;
  let timer = null;
  let shown = "";

  async function show() {
    const title = input.value.trim();
    if (title === shown) return;
    shown = title;
    box.textContent = "";
    if (!title) return;
    try {
      const response = await fetch("/api/resume/target-skills?title=" + encodeURIComponent(title));
      if (!response.ok || input.value.trim() !== title) return;
      const body = await response.json();
      if (!body.report || !body.report.skills.length) {
        box.textContent = "岗位库中没有同名岗位；可粘贴几份岗位描述代替。";
        return;
      }
      const skills = body.report.skills
        .filter((s) => s.category !== "industry_term")
        .slice(0, 10)
        .map((s) => s.name + "（" + Math.round(s.share * 100) + "%）");
      box.textContent = "该岗位 " + body.report.postings + " 份招聘中的高频技能：" + (skills.join("、") || "无");
    } catch (error) {
      box.textContent = "";
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(show, 350);
  });
  show();
})();
