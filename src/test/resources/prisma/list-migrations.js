// Runs the migrations listing of an installed Prisma CLI bundle (listMigrations: the function that
// reads the folder with readdir({withFileTypes: true, recursive: false}) and sorts it) on a folder,
// and prints the names in the order it returns them, as JSON. The function is taken from the
// bundle's own text, so the test checks the launcher against Prisma's code, not a copy of it.
//
//   node list-migrations.js node_modules/prisma/build/cli.js prisma/migrations
'use strict'
const fs = require('node:fs')
const [bundle, dir] = process.argv.slice(2)
const src = fs.readFileSync(bundle, 'utf8')
const anchor = src.indexOf('withFileTypes:!0,recursive:!1')
if (anchor < 0 || src.indexOf('withFileTypes:!0,recursive:!1', anchor + 1) >= 0) {
  throw new Error(`${bundle}: expected exactly one readdir({withFileTypes, recursive: false})`)
}
const start = src.lastIndexOf('async function ', anchor)
let depth = 0
let end = -1
for (let i = src.indexOf('{', start); i < src.length; i++) {
  if (src[i] === '{') depth++
  else if (src[i] === '}' && --depth === 0) {
    end = i + 1
    break
  }
}
const fn = src.slice(start, end)
const name = /^async function ([\w$]+)/.exec(fn)[1]
const fsAlias = /([\w$]+)\.default\.readdir/.exec(fn)[1]
const pathAlias = /([\w$]+)\.default\.join/.exec(fn)[1]
if (!fn.includes('localeCompare') && !fn.includes('.sort(')) throw new Error(`${name} does not sort: not the listing function`)
const list = new Function(fsAlias, pathAlias, `${fn}; return ${name}`)(
  { default: require('node:fs/promises') },
  { default: require('node:path') },
)
list(dir).then((r) => process.stdout.write(JSON.stringify(r.migrationDirectories.map((d) => d.path))))
