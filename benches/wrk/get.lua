-- wrk script: plain GETs (the bare Vert.x baseline) reported as one JSON line, like invoke.lua.
--   wrk -t T -c C -d D --timeout 10s -s benches/wrk/get.lua http://127.0.0.1:PORT/ [-- path]
-- The path may also come from the environment: WRK_PATH (default: the URL's own path).
-- done() prints {"requests", "duration_us", "bytes", "errors": {connect, read, write, status,
-- timeout}, "latency_us": {p50, p90, p99, p999, mean, max}}; errors.status counts answers >= 400.

local function json_number(x)
  return string.format("%.0f", x)
end

function init(args)
  wrk.method = "GET"
  local path = args[1] or os.getenv("WRK_PATH")
  if path ~= nil and path ~= "" then
    wrk.path = path
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%s,"duration_us":%s,"bytes":%s,' ..
    '"errors":{"connect":%s,"read":%s,"write":%s,"status":%s,"timeout":%s},' ..
    '"latency_us":{"p50":%s,"p90":%s,"p99":%s,"p999":%s,"mean":%.1f,"max":%s}}\n',
    json_number(summary.requests), json_number(summary.duration), json_number(summary.bytes),
    json_number(e.connect), json_number(e.read), json_number(e.write), json_number(e.status), json_number(e.timeout),
    json_number(latency:percentile(50)), json_number(latency:percentile(90)),
    json_number(latency:percentile(99)), json_number(latency:percentile(99.9)),
    latency.mean, json_number(latency.max)))
end
