-- wrk script for sticky traffic: each wrk thread keeps the AWSALB cookie its first response set and sends it
-- from then on, as a browser would, so the proxy decodes (and, like ALB, re-issues) the cookie on every request.
-- ALB also sends AWSALBCORS with the same value; whichever of the two wrk's header table kept, the value is it.
local cookie = nil

response = function(status, headers, body)
    if cookie == nil then
        for name, value in pairs(headers) do
            if string.lower(name) == "set-cookie" then
                local v = string.match(value, "^AWSALB%w*=([^;]+)")
                if v then
                    cookie = "AWSALB=" .. v
                    wrk.headers["Cookie"] = cookie
                end
            end
        end
    end
end

request = function()
    return wrk.format(nil, "/")
end
