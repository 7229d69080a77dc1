-- wrk script: wrong sign-ins as fast as the server answers them, each at its own unknown
-- account and, behind a proxy, from its own address (X-Forwarded-For), so that the per-account
-- and per-address limits do not stop them and every one reaches the password check's bound.
-- The sign-in form's token is read from the environment (FIKA_LOGIN_TOKEN).
local token = os.getenv("FIKA_LOGIN_TOKEN")
local n = 0
request = function()
  n = n + 1
  local a = math.random(1, 250)
  local b = math.random(0, 255)
  local c = math.random(0, 255)
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "fika_login=" .. token,
    ["X-Forwarded-For"] = "10." .. a .. "." .. b .. "." .. c,
  }
  local body = "login=nobody" .. math.random(1, 1000000000) .. "&password=wrong+guess+" .. n .. "&csrf=" .. token
  return wrk.format("POST", "/login", headers, body)
end
done = function(summary, latency, requests)
  io.write("login hammer: " .. summary.requests .. " sign-ins answered, "
    .. summary.errors.status .. " of them not 2xx/3xx\n")
end
