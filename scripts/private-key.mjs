#!/usr/bin/env node
// `npm run private-key`: moves the key registration wrote into .env (PRIVATE_KEY, one line with \n
// escapes) to ./private-key.pem (mode 600) and points .env at it with PRIVATE_KEY_PATH, so that
// docker compose mounts the file as a secret and the key is in no container's environment.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseEnv } from "node:util";

const ENV = ".env";
const PEM = "private-key.pem";

function fail(message) {
  process.stderr.write(`private-key: ${message}\n`);
  process.exit(1);
}

if (!existsSync(ENV))
  fail(`no ${ENV} here: run it where \`npm start\` wrote ${ENV} after registering the app`);
const text = readFileSync(ENV, "utf8");
const key = parseEnv(text).PRIVATE_KEY?.replace(/\\n/g, "\n").trim();
if (!key) fail(`${ENV} has no PRIVATE_KEY: nothing to move (PRIVATE_KEY_PATH may already point at the file)`);
if (!/^-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+-----END (RSA )?PRIVATE KEY-----$/.test(key)) {
  fail(
    `PRIVATE_KEY in ${ENV} is not a PEM private key: download a new key from the app's settings into ${PEM}`,
  );
}
if (existsSync(PEM) && readFileSync(PEM, "utf8").trim() !== key) {
  fail(`${PEM} exists and holds another key: move it away first`);
}
writeFileSync(PEM, `${key}\n`, { mode: 0o600 });
const rest = text
  .replace(/^PRIVATE_KEY=(?:"[^"]*"|'[^']*'|.*)(?:\r?\n|$)/m, "")
  .replace(/^PRIVATE_KEY_PATH=.*(?:\r?\n|$)/m, "");
writeFileSync(ENV, `${rest.replace(/\n*$/, "\n")}PRIVATE_KEY_PATH=${PEM}\n`, { mode: 0o600 });
process.stdout.write(`wrote ${PEM} (mode 600); ${ENV} now has PRIVATE_KEY_PATH=${PEM} and no PRIVATE_KEY\n`);
