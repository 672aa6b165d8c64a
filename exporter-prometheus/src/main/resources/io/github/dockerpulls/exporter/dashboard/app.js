/*
 * The dockerpulls dashboard. Every figure comes from the exporter's JSON API
 * (/api/v1/status and /api/v1/history) or, in a static report, from the same JSON embedded in the
 * page. No request leaves the exporter: the chart library is served by the jar itself.
 */
(function () {
  "use strict";

  var body = document.body;
  var base = body.getAttribute("data-base") || "";
  var embeddedNode = document.getElementById("dockerpulls-data");
  var embedded = embeddedNode ? JSON.parse(embeddedNode.textContent) : null;
  var app = document.getElementById("app");
  var numbers = new Intl.NumberFormat("en");
  var WINDOWS = ["7d", "30d", "90d", "1y"];
  var WINDOW_NAMES = { "7d": "7 days", "30d": "30 days", "90d": "90 days", "1y": "1 year" };
  var GRANULARITIES = ["day", "week", "month"];

  var state = {
    window: "30d",
    from: "",
    to: "",
    by: "day",
    org: "",
    q: "",
    sort: "window",
    dir: -1,
    page: 0,
    pageSize: 50,
    repos: [],
    mode: "lines"
  };

  var DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
  var REPO_RE = /^[a-z0-9][a-z0-9._-]*\/[a-z0-9][a-z0-9._-]*$/;
  var SORT_KEYS = ["name", "pull_count", "window", "change", "star_count", "last_updated"];

  /**
   * The view from the query string: org, window (or from and to, dates), by, q, sort (a column,
   * "-" first for descending), repos (NS/NAME, comma-separated) and mode (lines or stacked).
   * Values that are not valid are left at their defaults.
   */
  function readUrl() {
    var p = new URLSearchParams(window.location.search);
    var w = p.get("window");
    state.window = WINDOWS.indexOf(w) >= 0 ? w : embedded ? state.window : "30d";
    state.from = DAY_RE.test(p.get("from") || "") ? p.get("from") : "";
    state.to = DAY_RE.test(p.get("to") || "") && state.from ? p.get("to") : "";
    var by = p.get("by");
    state.by = GRANULARITIES.indexOf(by) >= 0 ? by : embedded ? state.by : "day";
    state.org = p.get("org") || "";
    state.q = p.get("q") || "";
    var sort = p.get("sort") || "-window";
    var key = sort.charAt(0) === "-" ? sort.substring(1) : sort;
    if (SORT_KEYS.indexOf(key) >= 0) {
      state.sort = key;
      state.dir = sort.charAt(0) === "-" ? -1 : 1;
    }
    state.repos = (p.get("repos") || "").split(",").filter(function (r) { return REPO_RE.test(r); }).slice(0, 20);
    state.mode = p.get("mode") === "stacked" ? "stacked" : "lines";
  }

  /** The view as a query string: only what differs from the defaults. */
  function viewQuery() {
    var p = new URLSearchParams();
    if (state.org) { p.set("org", state.org); }
    if (state.from) {
      p.set("from", state.from);
      if (state.to) { p.set("to", state.to); }
    } else if (state.window !== "30d") {
      p.set("window", state.window);
    }
    if (state.by !== "day") { p.set("by", state.by); }
    if (state.q) { p.set("q", state.q); }
    var sort = (state.dir < 0 ? "-" : "") + state.sort;
    if (sort !== "-window") { p.set("sort", sort); }
    if (state.repos.length) { p.set("repos", state.repos.join(",")); }
    if (state.mode !== "lines") { p.set("mode", state.mode); }
    var q = p.toString().replace(/%2F/g, "/").replace(/%2C/g, ",");
    return q ? "?" + q : "";
  }

  /** Puts the view in the address: a new history entry, or in place of the current one. */
  function writeUrl(replace) {
    if (embedded || !window.history || !window.history.pushState) {
      return;
    }
    var q = viewQuery();
    if (q === window.location.search) {
      return;
    }
    var url = window.location.pathname + q;
    if (replace) {
      window.history.replaceState(null, "", url);
    } else {
      window.history.pushState(null, "", url);
    }
  }

  /** A change of the view: into the address, then drawn. */
  function changeView() {
    writeUrl(false);
    load();
  }

  /** The API's window parameters for the view. */
  function windowQuery() {
    if (state.from) {
      return "since=" + state.from + (state.to ? "&until=" + state.to : "");
    }
    return "since=" + state.window;
  }

  /** How the window is named in figures' labels. */
  function windowName() {
    if (state.from) {
      return state.from + " to " + (state.to || "now");
    }
    return "last " + (WINDOW_NAMES[state.window] || state.window);
  }

  /** What tests and people can inspect: the chart and the rows as drawn. */
  var exposed = { ready: false, chart: null, points: 0, rows: 0 };
  window.dockerpulls = exposed;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] === null || attrs[k] === undefined) {
          return;
        }
        if (k === "text") {
          node.textContent = attrs[k];
        } else if (k === "className") {
          node.className = attrs[k];
        } else if (k.indexOf("on") === 0) {
          node.addEventListener(k.substring(2), attrs[k]);
        } else {
          node.setAttribute(k, attrs[k]);
        }
      });
    }
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) {
        node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
      }
    });
    return node;
  }

  function getJson(path) {
    return fetch(base + path, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) {
        return r.json().then(function (json) {
          if (!r.ok) {
            throw new Error(json && json.error ? json.error : "HTTP " + r.status);
          }
          return json;
        });
      });
  }

  function status() {
    return embedded ? Promise.resolve(embedded.status) : getJson("api/v1/status");
  }

  function totals() {
    if (embedded) {
      var h = embedded.history[state.window];
      return h ? Promise.resolve(h) : Promise.reject(new Error("not in this report"));
    }
    var q = "api/v1/history?series=total&" + windowQuery() + "&by=" + state.by;
    if (state.org) {
      q += "&org=" + encodeURIComponent(state.org);
    }
    return getJson(q);
  }

  function repositoryHistory(name) {
    return getJson("api/v1/history?repo=" + encodeURIComponent(name) + "&" + windowQuery() +
      "&by=" + state.by);
  }

  /** Several repositories' series in one request (at most 50 names). */
  function repositoriesHistory(names) {
    if (embedded || !names.length) {
      return Promise.resolve(null);
    }
    return getJson("api/v1/history?" + names.map(function (n) { return "repo=" + encodeURIComponent(n); }).join("&") +
      "&" + windowQuery() + "&by=" + state.by);
  }

  /** The periods' sums of one organization. */
  function organizationTotals(org) {
    return getJson("api/v1/history?series=total&org=" + encodeURIComponent(org) + "&" + windowQuery() + "&by=" + state.by);
  }

  /** The last 26 weeks of Docker Hub Insights with every tag, or null when there are none. */
  function versions(name) {
    if (embedded) {
      return Promise.resolve(null);
    }
    return getJson("api/v1/history?repo=" + encodeURIComponent(name) + "&since=26w&by=week&tags=true")
      .then(function (h) {
        var r = h.repositories[0];
        return r && r.insights && r.insights.series.length ? r.insights : null;
      })
      .catch(function () { return null; });
  }

  /** A repository's star counts and pushes over the window, or null. */
  function repositoryEvents(name) {
    if (embedded) {
      return Promise.resolve(null);
    }
    return getJson("api/v1/events?repo=" + encodeURIComponent(name) + "&" + windowQuery())
      .catch(function () { return null; });
  }

  /** The tags serve --tags read, or null when it does not read them. */
  function repositoryTags(name) {
    if (embedded) {
      return Promise.resolve(null);
    }
    return getJson("api/v1/tags?repo=" + encodeURIComponent(name))
      .then(function (t) { return t.repositories[0] || null; })
      .catch(function () { return null; });
  }

  var SVG = "http://www.w3.org/2000/svg";

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  /**
   * The share of each version week by week: one column per week, the top tags stacked in it (the
   * rest as "other"), downloads beside version checks, and the same figures as a table.
   */
  function versionsSection(container, insights) {
    var weeks = insights.series;
    var top = insights.tags.filter(function (t) { return t.tag !== "(other)"; }).slice(0, 8);
    var rest = insights.tags.filter(function (t) { return top.indexOf(t) < 0; });
    var shown = top.map(function (t) { return t.tag; });
    var byWeek = weeks.map(function (w) {
      var parts = top.map(function (t) {
        var p = t.series.filter(function (x) { return x.start === w.start; })[0];
        return p ? p.pulls : 0;
      });
      var known = parts.reduce(function (a, b) { return a + b; }, 0);
      parts.push(Math.max(0, w.pulls - known));
      return parts;
    });
    var labels = shown.concat([rest.length ? "other" : "other (none)"]);
    container.appendChild(el("h2", { text: "Which versions are pulled, per week" }));
    container.appendChild(el("p", { className: "muted", text:
      "Docker Hub Insights (import insights): the share of each tag in the week's pulls, the " +
      top.length + " largest over the window and the rest as other." }));
    var width = 720;
    var height = 260;
    var pad = 28;
    var column = (width - pad) / Math.max(1, weeks.length);
    var chart = svg("svg", { viewBox: "0 0 " + width + " " + (height + 20), role: "img",
      "aria-label": "Share of each version per week", "class": "versions" });
    byWeek.forEach(function (parts, i) {
      var total = parts.reduce(function (a, b) { return a + b; }, 0);
      var y = height;
      parts.forEach(function (v, k) {
        if (total <= 0 || v <= 0) {
          return;
        }
        var h = (v / total) * (height - 10);
        y -= h;
        var rect = svg("rect", { x: (pad + i * column + 1).toFixed(1), y: y.toFixed(1),
          width: Math.max(1, column - 2).toFixed(1), height: h.toFixed(1),
          "class": "v" + (k === parts.length - 1 ? "other" : k) });
        var title = svg("title", {});
        title.textContent = weeks[i].start.substring(0, 10) + " " + labels[k] + ": " + fmt(v) +
          " (" + Math.round(100 * v / total) + "%)";
        rect.appendChild(title);
        chart.appendChild(rect);
      });
      if (i % Math.max(1, Math.ceil(weeks.length / 8)) === 0) {
        var t = svg("text", { x: (pad + i * column).toFixed(1), y: height + 15, "class": "axis" });
        t.textContent = weeks[i].start.substring(5, 10);
        chart.appendChild(t);
      }
    });
    container.appendChild(el("div", { className: "chart versions-chart" }, [chart]));
    container.appendChild(el("ul", { className: "legend", "aria-label": "Versions" }, labels.map(function (l, k) {
      return el("li", null, [el("span", { className: "swatch v" + (k === labels.length - 1 ? "other" : k) }), l]);
    })));
    var split = weeks.filter(function (w) { return w.downloads !== null && w.version_checks !== null; });
    if (split.length) {
      container.appendChild(el("h2", { text: "Downloads and version checks, per week" }));
      var max = Math.max.apply(null, split.map(function (w) { return w.downloads + w.version_checks; }).concat([1]));
      var small = 140;
      var both = svg("svg", { viewBox: "0 0 " + width + " " + (small + 20), role: "img",
        "aria-label": "Downloads and version checks per week", "class": "versions checks" });
      weeks.forEach(function (w, i) {
        if (w.downloads === null || w.version_checks === null) {
          return;
        }
        var x = (pad + i * column + 1).toFixed(1);
        var dl = (w.downloads / max) * (small - 10);
        var vc = (w.version_checks / max) * (small - 10);
        var d = svg("rect", { x: x, y: (small - dl).toFixed(1), width: Math.max(1, column - 2).toFixed(1), height: dl.toFixed(1), "class": "v0" });
        var c = svg("rect", { x: x, y: (small - dl - vc).toFixed(1), width: Math.max(1, column - 2).toFixed(1), height: vc.toFixed(1), "class": "vother" });
        var title = svg("title", {});
        title.textContent = w.start.substring(0, 10) + ": " + fmt(w.downloads) + " downloads, " + fmt(w.version_checks) + " version checks";
        d.appendChild(title);
        both.appendChild(d);
        both.appendChild(c);
      });
      container.appendChild(el("div", { className: "chart versions-chart" }, [both]));
      container.appendChild(el("ul", { className: "legend", "aria-label": "Kinds of pull" }, [
        el("li", null, [el("span", { className: "swatch v0" }), "data downloads"]),
        el("li", null, [el("span", { className: "swatch vother" }), "version checks (a HEAD by tag, nothing fetched)"])
      ]));
    }
    var head = el("tr", null, [el("th", { text: "Week" }), el("th", { className: "n", text: "Pulls" }),
      el("th", { className: "n", text: "Downloads" }), el("th", { className: "n", text: "Version checks" })]
      .concat(labels.map(function (l) { return el("th", { className: "n", text: l }); })));
    var rows = weeks.map(function (w, i) {
      return el("tr", null, [el("td", { text: w.start.substring(0, 10) }), el("td", { className: "n", text: fmt(w.pulls) }),
        el("td", { className: "n", text: fmt(w.downloads) }), el("td", { className: "n", text: fmt(w.version_checks) })]
        .concat(byWeek[i].map(function (v) { return el("td", { className: "n", text: fmt(v) }); })));
    });
    container.appendChild(el("details", { open: "open" }, [el("summary", { text: "Versions and version checks as a table" }),
      el("table", { className: "versions-data" }, [el("thead", null, [head]), el("tbody", null, rows)])]));
    exposed.versions = { weeks: weeks.length, tags: labels };
  }

  /** The star count over the window, as a step line, and its figures as a table. */
  function starsSection(container, events, until) {
    var points = events.stars;
    container.appendChild(el("h2", { text: "Stars" }));
    var xs = points.map(function (p) { return Date.parse(p.at) / 1000; });
    var ys = points.map(function (p) { return p.stars; });
    // The last count holds until the window's end.
    xs.push(Date.parse(until) / 1000);
    ys.push(ys[ys.length - 1]);
    var box = el("div", { className: "chart stars-chart", role: "img", "aria-label": "Stars over the window, see the table below" });
    container.appendChild(box);
    new uPlot({
      width: Math.max(300, box.clientWidth - 16),
      height: 160,
      series: [
        { value: function (u, v) { return v === null ? "–" : new Date(v * 1000).toISOString().substring(0, 10); } },
        { label: "stars", stroke: cssVar("--accent"), width: 2, paths: uPlot.paths.stepped({ align: 1 }), value: function (u, v) { return fmt(v); } }
      ],
      axes: [
        { stroke: cssVar("--muted"), grid: { stroke: cssVar("--line") } },
        { stroke: cssVar("--muted"), grid: { stroke: cssVar("--line") }, size: 70, values: function (u, vals) { return vals.map(function (v) { return compact(v); }); } }
      ],
      legend: { live: true }
    }, [xs, ys], box);
    container.appendChild(el("details", null, [el("summary", { text: "Star counts as a table" }),
      el("table", { className: "stars-data" }, [
        el("thead", null, [el("tr", null, [el("th", { text: "From" }), el("th", { className: "n", text: "Stars" })])]),
        el("tbody", null, points.map(function (p) {
          return el("tr", null, [el("td", { text: fmtTime(p.at) }), el("td", { className: "n", text: fmt(p.stars) })]);
        }))
      ])]));
    exposed.stars = points.length;
  }

  /** The tags serve --tags read: newest first, with last push and last pull. */
  function tagsSection(container, t) {
    container.appendChild(el("h2", { text: "Tags" }));
    container.appendChild(el("p", { className: "muted", text:
      "Last pulled counts anything that fetched the tag, scanners and crawlers included: " +
      "\u201cnot pulled since\u201d is safe to conclude, \u201cpulled recently\u201d is no proof of use." }));
    var head = el("tr", null, ["Tag", "Last push", "Last pull", "Size", "Platforms"].map(function (h, i) {
      return el("th", { className: i === 3 ? "n" : null, text: h });
    }));
    var rows = t.tags.map(function (tag) {
      var platforms = tag.images.map(function (i) { return (i.os || "?") + "/" + (i.architecture || "?"); });
      return el("tr", null, [el("td", { text: tag.name }), el("td", { text: fmtDay(tag.last_pushed) }),
        el("td", { text: fmtDay(tag.last_pulled) }), el("td", { className: "n", text: tag.full_size === null ? "–" : compact(tag.full_size) + "B" }),
        el("td", { text: platforms.join(", ") || "–" })]);
    });
    container.appendChild(el("table", { className: "tags" }, [el("thead", null, [head]), el("tbody", null, rows)]));
    exposed.tags = t.tags.length;
  }

  /** "1 repository", "2 repositories". */
  function plural(n, one, many) {
    return fmt(n) + " " + (n === 1 ? one : many);
  }

  function fmt(n) {
    return n === null || n === undefined ? "–" : numbers.format(n);
  }

  function fmtTime(iso) {
    return iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z").replace("Z", " UTC") : "–";
  }

  function fmtDay(iso) {
    return iso ? iso.substring(0, 10) : "–";
  }

  function change(now, before) {
    if (now === null || before === null || before === undefined || before === 0) {
      return null;
    }
    return (now - before) / before * 100;
  }

  function fmtChange(pct) {
    if (pct === null) {
      return "–";
    }
    return (pct > 0 ? "+" : "") + pct.toFixed(1) + "%";
  }

  function changeClass(pct) {
    return pct === null ? "" : pct >= 0 ? "up-text" : "down-text";
  }

  function cssVar(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function statusLine(s) {
    // When the refresh ran, and the interval-aligned time its figures are recorded at.
    var ran = s.refreshed_at || s.last_refresh;
    var refresh = ran ? fmtTime(ran) : "none yet";
    if (s.refreshed_at && s.last_refresh && fmtTime(s.refreshed_at) !== fmtTime(s.last_refresh)) {
      refresh += " (recorded as of " + fmtTime(s.last_refresh) + ")";
    }
    var parts = [el("span", { text: "Last refresh: " + refresh })];
    if (s.ready === false && s.not_ready) {
      parts.push(el("span", { className: "down-text", text: "Not ready: " + s.not_ready }));
    }
    if (s.rate_limit) {
      parts.push(el("span", { text: "Docker Hub API requests left: " + fmt(s.rate_limit.remaining) + " of " + fmt(s.rate_limit.limit) }));
    }
    if (s.pull_limit) {
      parts.push(el("span", {
        text: "Registry pulls left: " + (s.pull_limit.unlimited ? "unlimited" :
          fmt(s.pull_limit.remaining) + " of " + fmt(s.pull_limit.limit))
      }));
    }
    if (s.elasticsearch) {
      var es = s.elasticsearch;
      parts.push(el("span", {
        text: "Elasticsearch: " + (es.last_delivery ? "last delivery " + fmtTime(es.last_delivery) : "nothing delivered yet") +
          ", " + fmt(es.spool_snapshots) + " waiting in the spool" + (es.dropped_total ? ", " + fmt(es.dropped_total) + " dropped" : "")
      }));
    }
    return el("p", { className: "status" }, parts);
  }

  function targetList(s) {
    return el("ul", { className: "targets", "aria-label": "Targets" }, s.targets.map(function (t) {
      var state = t.up ? "up" : t.rate_limited_until ? "rate limited until " + fmtTime(t.rate_limited_until) : "down";
      return el("li", { className: t.up ? "up" : "down", title: t.error || "" },
        [t.target + ": " + state + (t.up ? ", " + plural(t.repositories, "repository", "repositories") : "")]);
    }));
  }

  /** A figure box; a number too long for it is shown abbreviated, the exact one as its title. */
  function figure(label, value, cls) {
    var shown = value;
    var exact = null;
    if (value.length > 11 && /^[\d,]+$/.test(value)) {
      exact = value;
      shown = compact(Number(value.replace(/,/g, "")));
    }
    return el("div", { className: "figure" }, [
      el("div", { className: "value " + (cls || ""), text: shown, title: exact, "aria-label": exact }),
      el("div", { className: "label", text: label })
    ]);
  }

  /** A window by dates: from (and to, else now). */
  function rangePicker() {
    var fromInput = el("input", { type: "date", "aria-label": "From", name: "from", value: state.from || null });
    var toInput = el("input", { type: "date", "aria-label": "To", name: "to", value: state.to || null });
    return el("fieldset", { className: "range" }, [el("legend", { text: "Or from" }), fromInput, el("span", { text: "to" }), toInput,
      el("button", { type: "button", "data-action": "range", onclick: function () {
        if (!DAY_RE.test(fromInput.value)) { return; }
        state.from = fromInput.value;
        state.to = DAY_RE.test(toInput.value) ? toInput.value : "";
        changeView();
      } }, ["Show"])]);
  }

  function buttonGroup(legend, values, names, current, onPick) {
    return el("fieldset", null, [el("legend", { text: legend })].concat(values.map(function (v) {
      return el("button", {
        type: "button", "aria-pressed": String(v === current), "data-value": v,
        onclick: function () { onPick(v); }
      }, [names ? names[v] : v]);
    })));
  }

  /**
   * What a period's figure is not: the whole of a finished period the history saw, measured. The period
   * still running at the answer's end counts so far; one the history covers only in part (its
   * own coverage below 1, or, for the sums, the one in which collecting began) counts what was
   * seen. Empty for a whole period.
   */
  function periodNote(p, until, from) {
    var end = Date.parse(p.end);
    if (until && end > Date.parse(until)) { return "running, so far"; }
    if (typeof p.coverage === "number" && p.coverage > 0 && p.coverage < 1) {
      return "partly covered (" + Math.max(1, Math.round(p.coverage * 100)) + "%)";
    }
    if (typeof p.coverage !== "number" && from && Date.parse(from) > Date.parse(p.start) && Date.parse(from) < end) {
      return "partly covered (collecting began " + fmtTime(from) + ")";
    }
    if (p.estimated) {
      return "estimated across a gap in the observations";
    }
    return "";
  }

  /**
   * The pulls chart (bars per period) and the same figures as a table. Periods that are running
   * or partly covered are drawn in a paler bar and named in the table, so that a low last bar is
   * not read as a fall.
   */
  function chartAndTable(container, series, title, until, from, pushes) {
    var notes = series.map(function (p) { return periodNote(p, until, from); });
    var xs = series.map(function (p) { return Date.parse(p.start) / 1000; });
    var ys = series.map(function (p, i) { return notes[i] ? null : p.pulls; });
    var marked = series.map(function (p, i) { return notes[i] ? p.pulls : null; });
    var chartBox = el("div", { className: "chart", role: "img", "aria-label": title + ": " + series.length + " periods, see the table below" });
    container.appendChild(chartBox);
    var width = Math.max(300, chartBox.clientWidth - 16);
    var opts = {
      width: width,
      height: 300,
      series: [
        {},
        {
          label: "pulls",
          stroke: cssVar("--bar"),
          fill: cssVar("--bar"),
          paths: uPlot.paths.bars({ size: [0.7, 60] }),
          value: function (u, v) { return fmt(v); }
        },
        {
          label: "running or partly covered",
          stroke: cssVar("--bar-partial"),
          fill: cssVar("--bar-partial"),
          paths: uPlot.paths.bars({ size: [0.7, 60] }),
          value: function (u, v) { return fmt(v); }
        }
      ],
      axes: [
        { stroke: cssVar("--muted"), grid: { stroke: cssVar("--line") } },
        {
          stroke: cssVar("--muted"), grid: { stroke: cssVar("--line") }, size: 70,
          values: function (u, vals) { return vals.map(function (v) { return compact(v); }); }
        }
      ],
      scales: { y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } } },
      legend: { live: true }
    };
    opts.series[0] = { value: function (u, v) { return v === null ? "–" : new Date(v * 1000).toISOString().substring(0, 10); } };
    opts.hooks = latestCompleteLegend(notes);
    if (pushes && pushes.length) {
      // Each push as a dashed line across the plot, where it falls on the time axis.
      opts.hooks.draw = [function (u) {
        var ctx = u.ctx;
        ctx.save();
        ctx.strokeStyle = cssVar("--push") || "#b07aa1";
        ctx.setLineDash([4, 3]);
        ctx.lineWidth = 1.5 * (window.devicePixelRatio || 1);
        pushes.forEach(function (iso) {
          var x = u.valToPos(Date.parse(iso) / 1000, "x", true);
          if (x >= u.bbox.left && x <= u.bbox.left + u.bbox.width) {
            ctx.beginPath();
            ctx.moveTo(x, u.bbox.top);
            ctx.lineTo(x, u.bbox.top + u.bbox.height);
            ctx.stroke();
          }
        });
        ctx.restore();
      }];
    }
    var chart = new uPlot(opts, [xs, ys, marked], chartBox);
    exposed.chart = chart;
    exposed.points = xs.length;
    exposed.marked = notes.filter(function (n) { return n; }).length;
    var rows = series.map(function (p, i) {
      return el("tr", { className: notes[i] ? "partial" : null }, [
        el("td", { text: fmtDay(p.start) }),
        el("td", { className: "n", text: fmt(p.pulls) }),
        el("td", { className: "muted", text: notes[i] })
      ]);
    });
    container.appendChild(el("details", null, [
      el("summary", { text: "The chart's figures as a table" }),
      el("table", { className: "chart-data" }, [
        el("thead", null, [el("tr", null, [el("th", { text: "Period from" }), el("th", { className: "n", text: "Pulls" }), el("th", { text: "Note" })])]),
        el("tbody", null, rows)
      ])
    ]));
    window.addEventListener("resize", function () {
      chart.setSize({ width: Math.max(300, chartBox.clientWidth - 16), height: 300 });
    });
  }

  /** The series' colours, as in app.css's .v0 to .v7; grey for "other". */
  var PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7"];
  var OTHER_COLOUR = "#9c9c9c";
  var TOP = 5;

  /**
   * What the comparison draws: the repositories picked in the table; else, under "All
   * organizations" with several of them, one series per organization; else the window's five
   * largest repositories and the rest as "other". Each series has the periods of the total.
   */
  function compareSeries(h) {
    var periods = h.total;
    function aligned(series) {
      var byStart = {};
      series.forEach(function (p) { byStart[p.start] = p.pulls; });
      return periods.map(function (p) { return byStart[p.start] === undefined ? null : byStart[p.start]; });
    }
    function withOther(labels, values) {
      var other = periods.map(function (p, i) {
        if (p.pulls === null) { return null; }
        var rest = p.pulls;
        values.forEach(function (v) { rest -= v[i] || 0; });
        return Math.max(0, rest);
      });
      if (other.some(function (v) { return v; })) {
        labels.push("other");
        values.push(other);
      }
      return { labels: labels, values: values };
    }
    /** The answer's series in the order asked for. */
    function inOrder(names, a) {
      var byName = {};
      (a ? a.repositories : []).forEach(function (r) { byName[r.namespace + "/" + r.name] = r; });
      var labels = [], values = [];
      names.forEach(function (n) {
        if (byName[n]) {
          labels.push(n);
          values.push(aligned(byName[n].series));
        }
      });
      return { labels: labels, values: values };
    }
    if (state.repos.length) {
      return repositoriesHistory(state.repos).then(function (a) {
        var r = inOrder(state.repos, a);
        r.what = "picked";
        return r;
      });
    }
    var orgs = organizations(current.status);
    if (!state.org && orgs.length > 1) {
      var shown = orgs.slice(0, PALETTE.length - 1);
      return Promise.all(shown.map(organizationTotals)).then(function (answers) {
        var r = withOther(shown.slice(), answers.map(function (a) { return aligned(a.total); }));
        r.what = "organizations";
        return r;
      });
    }
    var top = h.repositories.filter(function (r) { return r.pulls !== null && r.pulls > 0; })
      .sort(function (a, b) { return b.pulls - a.pulls; }).slice(0, TOP)
      .map(function (r) { return r.namespace + "/" + r.name; });
    return repositoriesHistory(top).then(function (a) {
      var o = inOrder(top, a);
      var r = withOther(o.labels, o.values);
      r.what = "top";
      return r;
    });
  }

  /** The comparison: its chart (lines or stacked), its table, its CSV. */
  function compareSection(container, h, from) {
    if (embedded) {
      return;
    }
    var title = state.repos.length ? "The picked repositories" : "Compared";
    container.appendChild(el("h2", { text: title + ", per " + h.by }));
    var controls = el("div", { className: "controls" }, [
      buttonGroup("Draw", ["lines", "stacked"], { lines: "Lines", stacked: "Stacked" }, state.mode, function (v) { state.mode = v; changeView(); })
    ]);
    if (state.repos.length) {
      controls.appendChild(el("button", { type: "button", "data-action": "clear-picked", onclick: function () { state.repos = []; changeView(); } }, ["Compare the largest instead"]));
    }
    container.appendChild(controls);
    var box = el("div", { className: "compare" });
    container.appendChild(box);
    exposed.compare = null;
    return compareSeries(h).then(function (c) {
      drawCompare(box, c, h, from);
    }).catch(function (e) {
      box.appendChild(el("p", { className: "error", text: "The comparison could not be loaded: " + e.message }));
      exposed.compare = { labels: [], error: e.message };
    });
  }

  function drawCompare(box, c, h, from) {
    var periods = h.total;
    if (!c.labels.length) {
      box.appendChild(el("p", { className: "muted", text: "Nothing to compare in this window." }));
      exposed.compare = { labels: [], points: 0 };
      return;
    }
    var notes = periods.map(function (p) { return periodNote(p, h.until, from); });
    var xs = periods.map(function (p) { return Date.parse(p.start) / 1000; });
    var colours = c.labels.map(function (l, i) { return l === "other" ? OTHER_COLOUR : PALETTE[i % PALETTE.length]; });
    var data = [xs];
    var series = [{ value: function (u, v) { return v === null ? "–" : new Date(v * 1000).toISOString().substring(0, 10); } }];
    // The running period and those covered in part are left out of the lines (the table names
    // them), so that a period counted so far is not drawn as a fall.
    var drawn = c.values.map(function (v) { return v.map(function (x, i) { return notes[i] ? null : x; }); });
    if (state.mode === "stacked") {
      // Each band is drawn up to the sum of those before it, from the top down, so that the
      // lower ones cover the upper ones' fill; the legend shows each one's own figure.
      var sums = xs.map(function () { return 0; });
      var stacked = drawn.map(function (v) {
        return v.map(function (x, i) { sums[i] += x || 0; return notes[i] || (x === null && sums[i] === 0) ? null : sums[i]; });
      });
      for (var k = c.labels.length - 1; k >= 0; k--) {
        data.push(stacked[k]);
        series.push(bandSeries(c, k, colours[k], true));
      }
    } else {
      drawn.forEach(function (v, k) {
        data.push(v);
        series.push(bandSeries(c, k, colours[k], false));
      });
    }
    var chartBox = el("div", { className: "chart", role: "img", "aria-label": "Pulls per " + h.by + " of " + c.labels.join(", ") + ", see the table below" });
    box.appendChild(chartBox);
    var chart = new uPlot({
      width: Math.max(300, chartBox.clientWidth - 16),
      height: 300,
      series: series,
      axes: [
        { stroke: cssVar("--muted"), grid: { stroke: cssVar("--line") } },
        { stroke: cssVar("--muted"), grid: { stroke: cssVar("--line") }, size: 70,
          values: function (u, vals) { return vals.map(function (v) { return compact(v); }); } }
      ],
      scales: { y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } } },
      legend: { live: true },
      hooks: latestCompleteLegend(notes)
    }, data, chartBox);
    window.addEventListener("resize", function () {
      chart.setSize({ width: Math.max(300, chartBox.clientWidth - 16), height: 300 });
    });
    var head = el("tr", null, [el("th", { text: "Period from" })].concat(c.labels.map(function (l) {
      return el("th", { className: "n", text: l });
    })).concat([el("th", { text: "Note" })]));
    var rows = periods.map(function (p, i) {
      return el("tr", { className: notes[i] ? "partial" : null }, [el("td", { text: fmtDay(p.start) })]
        .concat(c.values.map(function (v) { return el("td", { className: "n", text: fmt(v[i]) }); }))
        .concat([el("td", { className: "muted", text: notes[i] })]));
    });
    box.appendChild(el("details", null, [
      el("summary", { text: "The comparison's figures as a table" }),
      el("table", { className: "compare-data" }, [el("thead", null, [head]), el("tbody", null, rows)])
    ]));
    var csv = ["period_start,period_end," + c.labels.map(csvField).join(",") + ",note"].concat(periods.map(function (p, i) {
      return [p.start, p.end].concat(c.values.map(function (v) { return v[i] === null ? "" : String(v[i]); }))
        .concat([csvField(notes[i])]).join(",");
    })).join("\r\n") + "\r\n";
    var name = "dockerpulls-" + (state.from ? state.from + "-" + (state.to || "now") : state.window) + "-by-" + h.by + ".csv";
    box.appendChild(el("p", null, [el("a", {
      href: "data:text/csv;charset=utf-8," + encodeURIComponent(csv), download: name, "data-action": "csv",
      text: "Download these figures as CSV"
    })]));
    exposed.compare = { labels: c.labels, points: xs.length, what: c.what, csv: csv, values: c.values };
  }

  function bandSeries(c, k, colour, filled) {
    var own = c.values[k];
    return {
      label: c.labels[k],
      stroke: colour,
      width: 2,
      fill: filled ? colour + "99" : undefined,
      spanGaps: false,
      value: function (u, v, si, i) { return i === null || i === undefined ? "–" : fmt(own[i]); }
    };
  }

  /** A CSV field, quoted when it holds a comma, a quote or a line end. */
  function csvField(text) {
    var t = text === null || text === undefined ? "" : String(text);
    return /[",\r\n]/.test(t) ? "\"" + t.replace(/"/g, "\"\"") + "\"" : t;
  }

  /**
   * Hooks that make the legend show the latest complete period whenever the pointer is not over
   * the chart, instead of dashes.
   */
  function latestCompleteLegend(notes) {
    var idx = -1;
    for (var i = notes.length - 1; i >= 0; i--) {
      if (!notes[i]) { idx = i; break; }
    }
    function show(u) {
      if (idx >= 0 && (u.cursor.idx === null || u.cursor.idx === undefined)) {
        u.setLegend({ idx: idx });
      }
    }
    return { ready: [show], setCursor: [show] };
  }

  /**
   * A row's trend: its pulls per period as a line over a zero baseline, scaled to its own largest
   * period; a gap where nothing is known.
   */
  function sparkline(all, until) {
    // The period still running is left out: counted so far, it would read as a fall.
    var series = all.filter(function (p) { return !until || Date.parse(p.end) <= Date.parse(until); });
    var w = 100, hgt = 22;
    var max = 0;
    series.forEach(function (p) { if (p.pulls !== null && p.pulls > max) { max = p.pulls; } });
    var node = svg("svg", { viewBox: "0 0 " + w + " " + hgt, width: w, height: hgt, "class": "spark", role: "img",
      "aria-label": "pulls per period, largest " + fmt(max) });
    node.appendChild(svg("line", { x1: 0, y1: hgt - 1, x2: w, y2: hgt - 1, "class": "spark-base" }));
    var step = series.length > 1 ? w / (series.length - 1) : w;
    var points = [];
    function flush() {
      if (points.length > 1) {
        node.appendChild(svg("polyline", { points: points.join(" "), "class": "spark-line" }));
      } else if (points.length === 1) {
        var xy = points[0].split(",");
        node.appendChild(svg("circle", { cx: xy[0], cy: xy[1], r: 1.5, "class": "spark-dot" }));
      }
      points = [];
    }
    series.forEach(function (p, i) {
      if (p.pulls === null) { flush(); return; }
      var y = max > 0 ? (hgt - 2) - (p.pulls / max) * (hgt - 4) : hgt - 2;
      points.push((i * step).toFixed(1) + "," + y.toFixed(1));
    });
    flush();
    return node;
  }

  var UNITS = ["", "k", "M", "B", "T"];

  /** n / d rounded half up, for whole n >= 0 and d > 0. */
  function roundedDivision(n, d) {
    var q = Math.floor(n / d);
    var r = n - q * d;
    return r >= d - r ? q + 1 : q;
  }

  /**
   * A count in a few characters, by the rule of the Java side's CompactNumbers (both are tested
   * against one table): below 10 of a unit one decimal, dropped when 0; from 10 whole numbers; a
   * value that rounds to 1,000 of a unit moves to the next one.
   */
  function compact(n) {
    if (n === null || n === undefined) {
      return "";
    }
    if (n < 0) {
      return "-" + compact(-n);
    }
    n = Math.round(n);
    var unit = 0;
    var scale = 1;
    while (unit < UNITS.length - 1 && roundedDivision(n, scale) >= 1000) {
      unit++;
      scale *= 1000;
    }
    if (unit === 0) {
      return String(n);
    }
    var tenths = roundedDivision(n, scale / 10);
    if (tenths < 100) {
      var decimal = tenths % 10;
      return Math.floor(tenths / 10) + (decimal === 0 ? "" : "." + decimal) + UNITS[unit];
    }
    return roundedDivision(n, scale) + UNITS[unit];
  }
  exposed.compact = compact;

  var COLUMNS = [
    { key: "name", label: "Repository", numeric: false },
    { key: "pull_count", label: "Total pulls", numeric: true },
    { key: "window", label: "Pulls in window", numeric: true },
    { key: "change", label: "Change", numeric: true },
    { key: "star_count", label: "Stars", numeric: true },
    { key: "last_updated", label: "Last push", numeric: false }
  ];

  function sortValue(r, key) {
    switch (key) {
      case "name": return r.full;
      case "window": return r.pulls;
      case "change": return r.change;
      default: return r[key];
    }
  }

  function sortRows(rows) {
    var key = state.sort;
    var dir = state.dir;
    return rows.slice().sort(function (a, b) {
      var x = sortValue(a, key);
      var y = sortValue(b, key);
      if (x === y) { return a.full < b.full ? -1 : 1; }
      if (x === null || x === undefined) { return 1; }
      if (y === null || y === undefined) { return -1; }
      return (x < y ? -1 : 1) * dir;
    });
  }

  function repoTable(container, rows) {
    var filtered = rows.filter(function (r) {
      return !state.q || r.full.toLowerCase().indexOf(state.q.toLowerCase()) >= 0;
    });
    var sorted = sortRows(filtered);
    var pages = Math.max(1, Math.ceil(sorted.length / state.pageSize));
    state.page = Math.min(state.page, pages - 1);
    var shown = sorted.slice(state.page * state.pageSize, (state.page + 1) * state.pageSize);
    exposed.rows = filtered.length;
    var head = el("tr", null, COLUMNS.map(function (c) {
      var sortState = state.sort === c.key ? (state.dir > 0 ? "ascending" : "descending") : "none";
      return el("th", { className: c.numeric ? "n" : "", "aria-sort": sortState, scope: "col" }, [
        el("button", {
          type: "button", "data-sort": c.key,
          onclick: function () {
            if (state.sort === c.key) { state.dir = -state.dir; } else { state.sort = c.key; state.dir = c.numeric ? -1 : 1; }
            state.page = 0;
            writeUrl(false);
            renderTable();
          }
        }, [c.label])
      ]);
    }));
    head.appendChild(el("th", { scope: "col", text: "Trend" }));
    var body = el("tbody", null, shown.map(function (r) {
      var pct = r.change;
      var picked = state.repos.indexOf(r.full) >= 0;
      var pick = embedded ? null : el("input", {
        type: "checkbox", "aria-label": "Compare " + r.full, "data-pick": r.full, checked: picked ? "checked" : null,
        onchange: function (e) {
          state.repos = state.repos.filter(function (x) { return x !== r.full; });
          if (e.target.checked) { state.repos.push(r.full); }
          changeView();
        }
      });
      return el("tr", { "data-repo": r.full }, [
        el("td", null, [pick, pick ? " " : null, el("a", { href: repositoryLink(r.full), text: r.full })]),
        el("td", { className: "n", text: fmt(r.pull_count) }),
        el("td", { className: "n", text: fmt(r.pulls) }),
        el("td", { className: "n " + changeClass(pct), text: fmtChange(pct) }),
        el("td", { className: "n", text: fmt(r.star_count) }),
        el("td", { text: fmtDay(r.last_updated) }),
        el("td", { className: "trend", "data-trend": r.full })
      ]);
    }));
    container.appendChild(el("table", { className: "repositories" }, [el("thead", null, [head]), body]));
    drawTrends(body, shown.map(function (r) { return r.full; }));
    container.appendChild(el("nav", { className: "pager", "aria-label": "Pages of the table" }, [
      el("button", { type: "button", "data-page": "previous", disabled: state.page === 0 ? "disabled" : null, onclick: function () { state.page--; renderTable(); } }, ["Previous"]),
      el("span", { className: "page-info", text: "Page " + (state.page + 1) + " of " + pages + " · " + fmt(filtered.length) + " of " + plural(rows.length, "repository", "repositories") }),
      el("button", { type: "button", "data-page": "next", disabled: state.page >= pages - 1 ? "disabled" : null, onclick: function () { state.page++; renderTable(); } }, ["Next"])
    ]));
  }

  /** The shown rows' sparklines: one request for the page's repositories. */
  var trendRequest = 0;
  function drawTrends(body, names) {
    exposed.trends = 0;
    if (embedded || !names.length) {
      return;
    }
    var mine = ++trendRequest;
    // Typing in the filter redraws the rows at every key: their trends are asked for once the
    // typing pauses, not once per key.
    clearTimeout(trendTimer);
    var pause = typing ? 200 : 0;
    pendingTrends = new Promise(function (resolve) {
      trendTimer = setTimeout(resolve, pause);
    }).then(function () {
      if (mine !== trendRequest) { return null; }
      exposed.trendRequests = (exposed.trendRequests || 0) + 1;
      return repositoriesHistory(names);
    }).then(function (a) {
      if (mine !== trendRequest || !a) { return; }
      a.repositories.forEach(function (r) {
        var cell = body.querySelector("td[data-trend='" + r.namespace + "/" + r.name + "']");
        if (cell) {
          cell.textContent = "";
          cell.appendChild(sparkline(r.series, a.until));
          exposed.trends++;
        }
      });
    }).catch(function () { /* the rows stay without a trend */ });
  }

  function repositoryLink(full) {
    if (embedded) {
      return "https://hub.docker.com/r/" + full;
    }
    return base + "r/" + full.split("/").map(encodeURIComponent).join("/");
  }

  var current = { status: null, history: null };
  var pendingCompare = null;
  var pendingTrends = null;
  var trendTimer = null;
  var typing = false;
  var tableBox = null;

  function mergedRows() {
    var byName = {};
    (current.history ? current.history.repositories : []).forEach(function (h) {
      byName[h.namespace + "/" + h.name] = h;
    });
    return current.status.repositories
      .filter(function (r) { return !state.org || r.namespace === state.org; })
      .map(function (r) {
        var full = r.namespace + "/" + r.name;
        var h = byName[full] || {};
        var pulls = h.pulls === undefined ? null : h.pulls;
        return {
          full: full, namespace: r.namespace, name: r.name,
          pull_count: r.pull_count, star_count: r.star_count, last_updated: r.last_updated,
          pulls: pulls, previous: h.previous_pulls === undefined ? null : h.previous_pulls,
          change: change(pulls, h.previous_pulls)
        };
      });
  }

  function renderTable() {
    tableBox.textContent = "";
    repoTable(tableBox, mergedRows());
  }

  function organizations(s) {
    var seen = {};
    s.repositories.forEach(function (r) { seen[r.namespace] = true; });
    return Object.keys(seen).sort();
  }

  var IMPORT_HINT = "Earlier counts that Prometheus or Elasticsearch hold come in with " +
    "dockerpulls import prometheus or dockerpulls import elasticsearch.";

  /** The earliest time the history covers any of the answer's repositories, or null. */
  function coveredFrom(h) {
    var from = null;
    (h && h.repositories || []).forEach(function (r) {
      if (r.covered_from && (from === null || r.covered_from < from)) { from = r.covered_from; }
    });
    return from;
  }

  function renderOverview() {
    var s = current.status;
    var h = current.history;
    app.textContent = "";
    app.appendChild(statusLine(s));
    app.appendChild(targetList(s));

    var controls = el("div", { className: "controls" }, [
      buttonGroup("Window", embedded ? Object.keys(embedded.history) : WINDOWS, WINDOW_NAMES, state.from ? null : state.window, function (v) { state.window = v; state.from = ""; state.to = ""; changeView(); }),
      embedded ? null : rangePicker(),
      embedded ? null : buttonGroup("By", GRANULARITIES, null, state.by, function (v) { state.by = v; changeView(); })
    ]);
    var orgs = organizations(s);
    if (orgs.length > 1) {
      var select = el("select", { "aria-label": "Organization", onchange: function (e) { state.org = e.target.value; state.page = 0; changeView(); } },
        [el("option", { value: "", text: "All organizations" })].concat(orgs.map(function (o) {
          var opt = el("option", { value: o, text: o });
          if (o === state.org) { opt.setAttribute("selected", "selected"); }
          return opt;
        })));
      controls.appendChild(el("label", null, ["Organization ", select]));
    }
    app.appendChild(controls);

    var rows = mergedRows();
    var total = 0, inWindow = 0, before = 0, knownWindow = false, knownBefore = false, stars = 0;
    rows.forEach(function (r) {
      total += r.pull_count;
      if (r.pulls !== null) { inWindow += r.pulls; knownWindow = true; }
      if (r.previous !== null) { before += r.previous; knownBefore = true; }
      if (r.star_count) { stars += r.star_count; }
    });
    var pct = knownWindow && knownBefore ? change(inWindow, before) : null;
    app.appendChild(el("div", { className: "figures" }, [
      figure("repositories", fmt(rows.length)),
      figure("total pulls", fmt(total)),
      figure("pulls in the " + windowName(), knownWindow ? fmt(inWindow) : "–"),
      figure("change against the " + (state.from ? "window" : WINDOW_NAMES[state.window] || state.window) + " before", fmtChange(pct), changeClass(pct)),
      figure("stars", fmt(stars))
    ]));

    var by = (h && h.by) || state.by;
    app.appendChild(el("h2", { text: "Pulls per " + by + (state.org ? " for " + state.org : "") }));
    var from = coveredFrom(h);
    var anyPulls = h && h.total.some(function (p) { return p.pulls !== null && p.pulls > 0; });
    if (anyPulls) {
      // A window longer than the history starts where the history does, and says so.
      var shown = h;
      if (from && from > h.since) {
        shown = Object.assign({}, h, { total: h.total.filter(function (p) { return Date.parse(p.end) > Date.parse(from); }) });
      }
      chartAndTable(app, shown.total, "Pulls per " + by, h.until, from);
      if (shown !== h) {
        app.appendChild(el("p", { className: "muted history-start", text: "The history begins " + fmtTime(from) +
          ", so the chart starts there: the " + (h.total.length - shown.total.length) +
          " periods of the window before it are not known. " + IMPORT_HINT }));
      }
      pendingCompare = compareSection(app, shown, from);
    } else {
      // A fresh history has no pulls to draw yet: a chart of zeros would claim what is not known.
      app.appendChild(el("p", { className: "muted", text: s.history === false ?
        "No history: the exporter runs with --no-history." : from ?
        "The history has collected since " + fmtTime(from) + "; pulls per " + by +
          " show once it covers one. " + IMPORT_HINT :
        "The history holds nothing for this window yet." }));
      exposed.points = 0;
      exposed.marked = 0;
    }

    app.appendChild(el("h2", { text: "Repositories" }));
    var filter = el("input", {
      type: "search", placeholder: "Filter by name", "aria-label": "Filter repositories by name", value: state.q,
      oninput: function (e) {
        state.q = e.target.value; state.page = 0; writeUrl(true);
        typing = true;
        renderTable();
        typing = false;
      }
    });
    app.appendChild(el("div", { className: "controls" }, [filter]));
    tableBox = el("div", { className: "table-box" });
    app.appendChild(tableBox);
    renderTable();
  }

  function renderRepository(name, s, h, insights, tags, events) {
    app.textContent = "";
    app.appendChild(el("p", null, [el("a", { href: base || "./", text: "\u2190 All repositories" })]));
    var r = s.repositories.filter(function (x) { return x.namespace + "/" + x.name === name; })[0];
    var hist = h.repositories[0];
    app.appendChild(el("h2", { text: name }));
    var description = body.getAttribute("data-description");
    if (description) {
      app.appendChild(el("p", { className: "description", text: description }));
    }
    exposed.description = description || null;
    app.appendChild(statusLine(s));
    var controls = el("div", { className: "controls" }, [
      buttonGroup("Window", WINDOWS, WINDOW_NAMES, state.from ? null : state.window, function (v) { state.window = v; state.from = ""; state.to = ""; changeView(); }),
      rangePicker(),
      buttonGroup("By", GRANULARITIES, null, state.by, function (v) { state.by = v; changeView(); })
    ]);
    app.appendChild(controls);
    var pct = hist ? change(hist.pulls, hist.previous_pulls) : null;
    app.appendChild(el("div", { className: "figures" }, [
      figure("total pulls", fmt(r ? r.pull_count : hist ? hist.pull_count : null)),
      figure("pulls in the " + windowName(), fmt(hist ? hist.pulls : null)),
      figure("change against the window before", fmtChange(pct), changeClass(pct)),
      figure("stars", fmt(r ? r.star_count : null)),
      figure("last push", fmtDay(r ? r.last_updated : null))
    ]));
    app.appendChild(el("p", null, [el("a", { href: "https://hub.docker.com/r/" + name, text: "On Docker Hub", rel: "noreferrer" })]));
    if (hist && hist.series.length) {
      app.appendChild(el("h2", { text: "Pulls per " + state.by }));
      var pushes = events ? events.pushes : [];
      chartAndTable(app, hist.series, "Pulls per " + state.by + " of " + name, h.until, hist.covered_from, pushes);
      if (pushes.length) {
        app.appendChild(el("p", { className: "muted pushes", text: "Dashed lines: pushes (the last push as the history saw it change): " +
          pushes.map(fmtDay).join(", ") }));
      }
      var details = app.querySelector("details");
      if (details) { details.setAttribute("open", "open"); }
    } else {
      app.appendChild(el("p", { className: "muted", text: "The history holds nothing for this repository in this window." }));
      exposed.points = 0;
      exposed.marked = 0;
    }
    exposed.versions = null;
    exposed.tags = 0;
    exposed.pushes = events ? events.pushes.length : 0;
    exposed.stars = 0;
    if (events && events.stars.length > 1) {
      starsSection(app, events, h.until);
    }
    if (insights) {
      versionsSection(app, insights);
    }
    if (tags && tags.tags.length) {
      tagsSection(app, tags);
    }
  }

  function fail(e) {
    app.textContent = "";
    app.appendChild(el("p", { className: "error", role: "alert", text: "The figures could not be loaded: " + e.message }));
    exposed.ready = true;
    exposed.error = e.message;
  }

  function load() {
    exposed.ready = false;
    var repo = body.getAttribute("data-repo");
    if (repo) {
      Promise.all([status(), repositoryHistory(repo), versions(repo), repositoryTags(repo), repositoryEvents(repo)]).then(function (res) {
        renderRepository(repo, res[0], res[1], res[2], res[3], res[4]);
        exposed.readyAt = window.performance ? performance.now() : 0;
        exposed.ready = true;
      }).catch(fail);
      return;
    }
    Promise.all([status(), totals().catch(function () { return null; })]).then(function (res) {
      current.status = res[0];
      current.history = res[1];
      pendingCompare = null;
      pendingTrends = null;
      renderOverview();
      if (window.performance && performance.mark) { performance.mark("dockerpulls-rendered"); }
      return Promise.all([pendingCompare, pendingTrends]);
    }).then(function () {
      exposed.readyAt = window.performance ? performance.now() : 0;
      exposed.ready = true;
    }).catch(fail);
  }

  if (embedded) {
    state.window = embedded.defaultWindow || Object.keys(embedded.history)[0];
    state.by = embedded.by || "day";
  }
  readUrl();
  window.addEventListener("popstate", function () { readUrl(); load(); });
  load();
})();
