-- wrk script: GET /households/{id} for IDs read from the file named by WRK_IDS (one per line),
-- each thread cycling through them. Used for docs/benchmarks.md:
--   WRK_IDS=ids.txt wrk -t2 -c32 -d20s -s benches/household-pages.lua http://127.0.0.1:8080
local ids = {}
for line in io.lines(os.getenv("WRK_IDS")) do ids[#ids + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/households/" .. ids[(i % #ids) + 1])
end
