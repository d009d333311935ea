-- wrk script: GET /households/{id} for IDs read from the file named by WRK_IDS (one per line),
-- each thread cycling through them, signed in with the API token in WRK_TOKEN (every view is
-- then audited, as in production). Used for docs/benchmarks.md:
--   WRK_IDS=ids.txt WRK_TOKEN=… wrk -t1 -c32 -d20s -s benches/household-pages.lua http://127.0.0.1:8096
local ids = {}
for line in io.lines(os.getenv("WRK_IDS")) do ids[#ids + 1] = line end
local auth = "Bearer " .. os.getenv("WRK_TOKEN")
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/households/" .. ids[(i % #ids) + 1], { ["Authorization"] = auth })
end
