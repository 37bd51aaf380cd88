-- wrk script: every request is a POST of a 1 MiB body to /upload (the target answers "ok").
wrk.method = "POST"
wrk.path = "/upload"
wrk.body = string.rep("x", 1024 * 1024)
wrk.headers["Content-Type"] = "application/octet-stream"
