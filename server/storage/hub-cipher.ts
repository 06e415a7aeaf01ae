// The cipher of the embedded hub database: one source for every connection that opens the file (the
// hub's writer and reader, its checkpoint worker, rekey, encrypt-database and the migration of files
// written by earlier versions). Each is SQLite3MultipleCiphers pragmas, run in order before the key;
// the key is always raw (256 random bits derived from the hub key, no passphrase KDF).
// AEGIS-256 (the CAESAR final portfolio's AES-based AEAD, IETF CFRG draft-irtf-cfrg-aegis-aead; 256-bit
// key, 256-bit nonce, 256-bit tag per page, AES-NI): authenticated like SQLCipher 4's AES-256-CBC +
// HMAC-SHA512, at a small fraction of its CPU per page, which was ~40 % of every hub write path. The
// workstation's vault and audit log keep SQLCipher 4 (electron/vault): they must stay readable by
// Zetetic SQLCipher. Why AEGIS and not ChaCha20-Poly1305: docs/SECURITY.md.

/** A page cipher of SQLite3MultipleCiphers, as the pragmas that select it. */
export interface SqliteCipher {
  /** What the docs and messages call it. */
  readonly name: string;
  /** Run in order on a new connection, before its key. */
  readonly pragmas: readonly string[];
}

export const HUB_CIPHER: SqliteCipher = { name: 'AEGIS-256', pragmas: ["cipher='aegis'", "algorithm='aegis-256'"] };

/** SQLCipher 4 (AES-256-CBC, HMAC-SHA512 per page): what hub versions before AEGIS-256 wrote. */
export const SQLCIPHER_4: SqliteCipher = { name: 'SQLCipher 4', pragmas: ["cipher='sqlcipher'", 'legacy=4'] };

/** Ciphers of earlier hub versions: a file under one is re-encrypted with HUB_CIPHER when it is opened. */
export const EARLIER_HUB_CIPHERS: readonly SqliteCipher[] = [SQLCIPHER_4];

/**
 * Pragmas of every keyed connection to the hub file, run after its key: temporary tables, indexes and
 * rebuilds stay in memory (a temp FILE would hold them as plain SQLite), and deleted content is
 * overwritten rather than left in free pages.
 */
export const HUB_AT_REST_PRAGMAS: readonly string[] = ['temp_store=MEMORY', 'secure_delete=ON'];
