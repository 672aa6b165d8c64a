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
    by: "day",
    org: "",
    q: "",
    sort: "window",
    dir: -1,
    page: 0,
    pageSize: 50
  };

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
    var q = "api/v1/history?series=total&since=" + state.window + "&by=" + state.by;
    if (state.org) {
      q += "&org=" + encodeURIComponent(state.org);
    }
    return getJson(q);
  }

  function repositoryHistory(name) {
    return getJson("api/v1/history?repo=" + encodeURIComponent(name) + "&since=" + state.window +
      "&by=" + state.by);
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
      el("table", null, [el("thead", null, [head]), el("tbody", null, rows)])]));
    exposed.versions = { weeks: weeks.length, tags: labels };
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
        [t.target + ": " + state + (t.up ? ", " + fmt(t.repositories) + " repositories" : "")]);
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

  function buttonGroup(legend, values, names, current, onPick) {
    return el("fieldset", null, [el("legend", { text: legend })].concat(values.map(function (v) {
      return el("button", {
        type: "button", "aria-pressed": String(v === current), "data-value": v,
        onclick: function () { onPick(v); }
      }, [names ? names[v] : v]);
    })));
  }

  /**
   * What a period's figure is not: the whole of a finished period the history saw. The period
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
    return "";
  }

  /**
   * The pulls chart (bars per period) and the same figures as a table. Periods that are running
   * or partly covered are drawn in a paler bar and named in the table, so that a low last bar is
   * not read as a fall.
   */
  function chartAndTable(container, series, title, until, from) {
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
            renderTable();
          }
        }, [c.label])
      ]);
    }));
    var body = el("tbody", null, shown.map(function (r) {
      var pct = r.change;
      return el("tr", { "data-repo": r.full }, [
        el("td", null, [el("a", { href: repositoryLink(r.full), text: r.full })]),
        el("td", { className: "n", text: fmt(r.pull_count) }),
        el("td", { className: "n", text: fmt(r.pulls) }),
        el("td", { className: "n " + changeClass(pct), text: fmtChange(pct) }),
        el("td", { className: "n", text: fmt(r.star_count) }),
        el("td", { text: fmtDay(r.last_updated) })
      ]);
    }));
    container.appendChild(el("table", { className: "repositories" }, [el("thead", null, [head]), body]));
    container.appendChild(el("nav", { className: "pager", "aria-label": "Pages of the table" }, [
      el("button", { type: "button", "data-page": "previous", disabled: state.page === 0 ? "disabled" : null, onclick: function () { state.page--; renderTable(); } }, ["Previous"]),
      el("span", { className: "page-info", text: "Page " + (state.page + 1) + " of " + pages + " · " + fmt(filtered.length) + " of " + fmt(rows.length) + " repositories" }),
      el("button", { type: "button", "data-page": "next", disabled: state.page >= pages - 1 ? "disabled" : null, onclick: function () { state.page++; renderTable(); } }, ["Next"])
    ]));
  }

  function repositoryLink(full) {
    if (embedded) {
      return "https://hub.docker.com/r/" + full;
    }
    return base + "r/" + full.split("/").map(encodeURIComponent).join("/");
  }

  var current = { status: null, history: null };
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
      buttonGroup("Window", embedded ? Object.keys(embedded.history) : WINDOWS, WINDOW_NAMES, state.window, function (v) { state.window = v; load(); }),
      embedded ? null : buttonGroup("By", GRANULARITIES, null, state.by, function (v) { state.by = v; load(); })
    ]);
    var orgs = organizations(s);
    if (orgs.length > 1) {
      var select = el("select", { "aria-label": "Organization", onchange: function (e) { state.org = e.target.value; state.page = 0; load(); } },
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
      figure("pulls in the last " + (WINDOW_NAMES[state.window] || state.window), knownWindow ? fmt(inWindow) : "–"),
      figure("change against the " + (WINDOW_NAMES[state.window] || state.window) + " before", fmtChange(pct), changeClass(pct)),
      figure("stars", fmt(stars))
    ]));

    var by = (h && h.by) || state.by;
    app.appendChild(el("h2", { text: "Pulls per " + by + (state.org ? " for " + state.org : "") }));
    var from = coveredFrom(h);
    var anyPulls = h && h.total.some(function (p) { return p.pulls !== null && p.pulls > 0; });
    if (anyPulls) {
      chartAndTable(app, h.total, "Pulls per " + by, h.until, from);
      if (from && from > h.since) {
        app.appendChild(el("p", { className: "muted", text: "The history begins " + fmtTime(from) +
          ": the periods before are not known. " + IMPORT_HINT }));
      }
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
      oninput: function (e) { state.q = e.target.value; state.page = 0; renderTable(); }
    });
    app.appendChild(el("div", { className: "controls" }, [filter]));
    tableBox = el("div", { className: "table-box" });
    app.appendChild(tableBox);
    renderTable();
  }

  function renderRepository(name, s, h, insights, tags) {
    app.textContent = "";
    app.appendChild(el("p", null, [el("a", { href: base || "./", text: "\u2190 All repositories" })]));
    var r = s.repositories.filter(function (x) { return x.namespace + "/" + x.name === name; })[0];
    var hist = h.repositories[0];
    app.appendChild(el("h2", { text: name }));
    app.appendChild(statusLine(s));
    var controls = el("div", { className: "controls" }, [
      buttonGroup("Window", WINDOWS, WINDOW_NAMES, state.window, function (v) { state.window = v; load(); }),
      buttonGroup("By", GRANULARITIES, null, state.by, function (v) { state.by = v; load(); })
    ]);
    app.appendChild(controls);
    var pct = hist ? change(hist.pulls, hist.previous_pulls) : null;
    app.appendChild(el("div", { className: "figures" }, [
      figure("total pulls", fmt(r ? r.pull_count : hist ? hist.pull_count : null)),
      figure("pulls in the last " + WINDOW_NAMES[state.window], fmt(hist ? hist.pulls : null)),
      figure("change against the " + WINDOW_NAMES[state.window] + " before", fmtChange(pct), changeClass(pct)),
      figure("stars", fmt(r ? r.star_count : null)),
      figure("last push", fmtDay(r ? r.last_updated : null))
    ]));
    app.appendChild(el("p", null, [el("a", { href: "https://hub.docker.com/r/" + name, text: "On Docker Hub", rel: "noreferrer" })]));
    if (hist && hist.series.length) {
      app.appendChild(el("h2", { text: "Pulls per " + state.by }));
      chartAndTable(app, hist.series, "Pulls per " + state.by + " of " + name, h.until, hist.covered_from);
      var details = app.querySelector("details");
      if (details) { details.setAttribute("open", "open"); }
    } else {
      app.appendChild(el("p", { className: "muted", text: "The history holds nothing for this repository in this window." }));
      exposed.points = 0;
      exposed.marked = 0;
    }
    exposed.versions = null;
    exposed.tags = 0;
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
      Promise.all([status(), repositoryHistory(repo), versions(repo), repositoryTags(repo)]).then(function (res) {
        renderRepository(repo, res[0], res[1], res[2], res[3]);
        exposed.ready = true;
      }).catch(fail);
      return;
    }
    Promise.all([status(), totals().catch(function () { return null; })]).then(function (res) {
      current.status = res[0];
      current.history = res[1];
      renderOverview();
      exposed.ready = true;
      if (window.performance && performance.mark) { performance.mark("dockerpulls-rendered"); }
    }).catch(fail);
  }

  if (embedded) {
    state.window = embedded.defaultWindow || Object.keys(embedded.history)[0];
    state.by = embedded.by || "day";
  }
  load();
})();
