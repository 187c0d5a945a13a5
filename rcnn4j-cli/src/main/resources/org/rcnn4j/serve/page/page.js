// The page of `rcnn4j serve`: sends a chosen or dropped image to POST v1/detect once, with
// score_threshold=0 so that the answer holds every detection the model keeps, then draws those at or
// above the slider's value; moving the slider redraws from that answer without a new request.
//
// What was drawn is published for scripts and tests: window.rcnn4jPage.state ('idle', 'detecting',
// 'done', 'error'), .drawn (the detections on the canvas, boxes in image pixels) and .colour(id)
// (a class's colour), and the canvas's data-state and data-drawn attributes.
"use strict";

(() => {
  const PALETTE = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6",
    "#9a6324", "#469990", "#808000", "#000075", "#e6a800"];
  const MAX_WIDTH = 900; // canvas pixels: a large photo is drawn scaled down, boxes with it
  const MIN_WIDTH = 512; // and a small one enlarged, at most 4 times, so that its labels can be read

  const $ = (id) => document.getElementById(id);
  const canvas = $("canvas");
  const ctx = canvas.getContext("2d");
  const slider = $("threshold");
  const page = { state: "idle", detections: [], drawn: [], threshold: Number(slider.value), timing: null, error: null };
  window.rcnn4jPage = page;

  let image = null;  // the ImageBitmap of the current upload
  let request = 0;   // the newest upload; answers to older ones are dropped

  function setState(state, message, isError) {
    page.state = state;
    canvas.dataset.state = state;
    const status = $("status");
    status.textContent = message;
    status.classList.toggle("error", Boolean(isError));
  }

  function colour(categoryId) {
    return PALETTE[((categoryId % PALETTE.length) + PALETTE.length) % PALETTE.length];
  }
  page.colour = colour; // a class's colour, "#rrggbb"

  function draw() {
    page.threshold = Number(slider.value);
    $("threshold-value").textContent = page.threshold.toFixed(2);
    if (!image) return;
    const scale = Math.min(MAX_WIDTH / image.width, Math.max(1, Math.min(4, MIN_WIDTH / image.width)));
    canvas.width = Math.round(image.width * scale);
    canvas.height = Math.round(image.height * scale);
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    const kept = page.detections.filter((d) => d.score >= page.threshold);
    const font = 13;
    ctx.font = `${font}px system-ui, sans-serif`;
    ctx.textBaseline = "top";
    for (const d of kept) {
      const [x1, y1, x2, y2] = d.box.map((v) => v * scale);
      ctx.lineWidth = 2;
      ctx.strokeStyle = colour(d.category_id);
      ctx.strokeRect(x1, y1, x2 - x1, y2 - y1);
      const text = `${d.label} ${d.score.toFixed(2)}`;
      const w = ctx.measureText(text).width + 6;
      const ty = y1 >= font + 4 ? y1 - font - 4 : y1; // above the box, or inside it at the top edge
      ctx.fillStyle = colour(d.category_id);
      ctx.fillRect(x1, ty, w, font + 4);
      ctx.fillStyle = "#fff";
      ctx.fillText(text, x1 + 3, ty + 2);
    }
    page.drawn = kept;
    canvas.dataset.drawn = String(kept.length);
    listDetections(kept);
    $("summary").textContent = `${kept.length} of ${page.detections.length} detections shown`;
  }

  function listDetections(kept) {
    const table = $("detections");
    const body = table.querySelector("tbody");
    body.replaceChildren();
    for (const d of kept) {
      const row = body.insertRow();
      const label = row.insertCell();
      label.textContent = d.label;
      label.className = "swatch";
      label.style.borderLeftColor = colour(d.category_id);
      row.insertCell().textContent = d.score.toFixed(3);
      row.insertCell().textContent = `[${d.box.map((v) => v.toFixed(1)).join(", ")}]`;
    }
    table.hidden = kept.length === 0;
  }

  async function detect(file) {
    const mine = ++request;
    setState("detecting", `Detecting in ${file.name} (${Math.round(file.size / 1024)} KB)…`);
    const t0 = performance.now();
    try {
      const [bitmap, response] = await Promise.all([
        createImageBitmap(file).catch(() => null),
        fetch("v1/detect?score_threshold=0", { method: "POST", body: file,
          headers: { "Content-Type": file.type || "application/octet-stream" } }),
      ]);
      const answer = await response.json().catch(() => ({ error: `HTTP ${response.status} without a JSON body` }));
      if (mine !== request) return;
      if (!response.ok) throw new Error(answer.error || `HTTP ${response.status}`);
      if (!bitmap) throw new Error(`${file.name}: the browser cannot decode this image`);
      const roundTrip = performance.now() - t0;
      image = bitmap;
      page.detections = answer.detections;
      page.timing = Object.assign({ round_trip: roundTrip }, answer.timing_ms);
      page.error = null;
      draw();
      setState("done", `${file.name}: ${answer.image.width}×${answer.image.height}, ${answer.detections.length} detections; `
        + `${answer.timing_ms.total.toFixed(0)} ms in the server, ${roundTrip.toFixed(0)} ms in all`);
    } catch (e) {
      if (mine !== request) return;
      page.error = String(e.message || e);
      setState("error", page.error, true);
    }
  }

  function takeFiles(files) {
    if (files && files.length > 0) detect(files[0]);
  }

  async function describeModel() {
    try {
      const model = await (await fetch("v1/model")).json();
      const names = model.classes.map((c) => c.name).join(", ");
      $("model").textContent = `${model.detector} (${model.config.backbone}), ${model.classes.length} classes: ${names}`;
      // SVM margins (R-CNN, SPP-net) are not probabilities: widen the slider to take them.
      if (model.scores !== "probabilities") {
        slider.min = "-2";
        slider.max = "2";
      }
      slider.value = String(model.default_score_threshold);
      draw();
    } catch (e) {
      $("model").textContent = "The model's description could not be read.";
    }
  }

  $("file").addEventListener("change", (e) => takeFiles(e.target.files));
  slider.addEventListener("input", draw);
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    takeFiles(e.dataTransfer.files);
  });
  describeModel();
})();
