/**
 * Self-signed certificate for CN/SAN web.whatsapp.com, made once with openssl.
 * @module sim/lib/cert
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/**
 * Returns the key and certificate in `certDir`, creating them with openssl when missing. Creation writes
 * into a temporary sibling directory and renames it, so concurrent first runs do not clash.
 * @param {string} certDir
 * @returns {{key: Buffer, cert: Buffer, keyPath: string, certPath: string}}
 */
export function ensureCert(certDir) {
  const keyPath = path.join(certDir, "key.pem");
  const certPath = path.join(certDir, "cert.pem");
  if (!(fs.existsSync(keyPath) && fs.existsSync(certPath))) {
    fs.mkdirSync(path.dirname(certDir), { recursive: true });
    const tmp = fs.mkdtempSync(`${certDir}.tmp-`);
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        path.join(tmp, "key.pem"),
        "-out",
        path.join(tmp, "cert.pem"),
        "-days",
        "3650",
        "-subj",
        "/CN=web.whatsapp.com",
        "-addext",
        "subjectAltName=DNS:web.whatsapp.com",
      ],
      { stdio: "ignore" },
    );
    try {
      fs.renameSync(tmp, certDir);
    } catch {
      // Another process won the race (or certDir exists without both files): keep whichever is complete.
      if (!(fs.existsSync(keyPath) && fs.existsSync(certPath))) {
        fs.mkdirSync(certDir, { recursive: true });
        fs.copyFileSync(path.join(tmp, "key.pem"), keyPath);
        fs.copyFileSync(path.join(tmp, "cert.pem"), certPath);
      }
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  return { key: fs.readFileSync(keyPath), cert: fs.readFileSync(certPath), keyPath, certPath };
}
