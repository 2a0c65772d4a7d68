'use strict'
// The example app: a dependency-free HTTP server that answers "ok" on every path (the readiness
// probe uses /healthz). prisma-launcher starts it only once the database is migrated, and starts
// it with execvp, so this process has the launcher's PID and receives the platform's SIGTERM itself.
//
//   node server.js          serve on $PORT (default 3000) until SIGTERM or SIGINT
//   node server.js --once   print "server ready pid=<pid>" and exit 0 (for tests)
const http = require('node:http')

if (process.argv.includes('--once')) {
  console.log(`server ready pid=${process.pid}`)
  process.exit(0)
}

const port = Number.parseInt(process.env.PORT || '3000', 10)

const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' })
  res.end('ok\n')
})

server.listen(port, () => {
  console.log(`server ready pid=${process.pid} port=${port}`)
})

function shutdown(signal) {
  console.log(`${signal}: closing the server`)
  server.close(() => process.exit(0))
  server.closeIdleConnections()
  // a slow client would hold close() open; do not outstay the platform's grace period
  setTimeout(() => process.exit(0), 5000).unref()
}

process.on('SIGTERM', () => shutdown('SIGTERM'))
process.on('SIGINT', () => shutdown('SIGINT'))
