-- wrk script: GET the warranty of a serial picked at random from the file
-- named by the SERIALS environment variable.
local serials = {}
for line in io.lines(os.getenv("SERIALS")) do serials[#serials + 1] = line end
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/v1/warranty?serial=" .. serials[math.random(#serials)])
end
