// What OpenSSH 9.2p1 as Debian 12 builds it knows and assumes, as data: the algorithms it implements
// (`ssh -Q cipher|mac|kex|key-sig|sig`), the lists it offers when the config says nothing (myproposal.h,
// filtered as fill_default_options() filters them), and the names its option parsers take (misc.c's
// ipqos[], log.c's levels and facilities). `ssh -G` output is made from these (dump.ts).

const list = (s: string): readonly string[] => s.trim().split(/\s+/);

/** every algorithm of each list ssh_config can set, in the order ssh lists them, and its defaults */
export const OPENSSH_ALGORITHMS = {
  ciphers: {
    all: list(`3des-cbc aes128-cbc aes192-cbc aes256-cbc aes128-ctr aes192-ctr aes256-ctr aes128-gcm@openssh.com aes256-gcm@openssh.com
      chacha20-poly1305@openssh.com`),
    defaults: list('chacha20-poly1305@openssh.com aes128-ctr aes192-ctr aes256-ctr aes128-gcm@openssh.com aes256-gcm@openssh.com'),
  },
  macs: {
    all: list(`hmac-sha1 hmac-sha1-96 hmac-sha2-256 hmac-sha2-512 hmac-md5 hmac-md5-96 umac-64@openssh.com umac-128@openssh.com
      hmac-sha1-etm@openssh.com hmac-sha1-96-etm@openssh.com hmac-sha2-256-etm@openssh.com hmac-sha2-512-etm@openssh.com
      hmac-md5-etm@openssh.com hmac-md5-96-etm@openssh.com umac-64-etm@openssh.com umac-128-etm@openssh.com`),
    defaults: list(`umac-64-etm@openssh.com umac-128-etm@openssh.com hmac-sha2-256-etm@openssh.com hmac-sha2-512-etm@openssh.com
      hmac-sha1-etm@openssh.com umac-64@openssh.com umac-128@openssh.com hmac-sha2-256 hmac-sha2-512 hmac-sha1`),
  },
  kexalgorithms: {
    all: list(`diffie-hellman-group1-sha1 diffie-hellman-group14-sha1 diffie-hellman-group14-sha256 diffie-hellman-group16-sha512
      diffie-hellman-group18-sha512 diffie-hellman-group-exchange-sha1 diffie-hellman-group-exchange-sha256 ecdh-sha2-nistp256
      ecdh-sha2-nistp384 ecdh-sha2-nistp521 curve25519-sha256 curve25519-sha256@libssh.org sntrup761x25519-sha512
      sntrup761x25519-sha512@openssh.com`),
    defaults: list(`sntrup761x25519-sha512 sntrup761x25519-sha512@openssh.com curve25519-sha256 curve25519-sha256@libssh.org
      ecdh-sha2-nistp256 ecdh-sha2-nistp384 ecdh-sha2-nistp521 diffie-hellman-group-exchange-sha256 diffie-hellman-group16-sha512
      diffie-hellman-group18-sha512 diffie-hellman-group14-sha256`),
  },
  /** HostKeyAlgorithms, PubkeyAcceptedAlgorithms and HostbasedAcceptedAlgorithms */
  keys: {
    all: list(`ssh-ed25519 ssh-ed25519-cert-v01@openssh.com sk-ssh-ed25519@openssh.com sk-ssh-ed25519-cert-v01@openssh.com
      ecdsa-sha2-nistp256 ecdsa-sha2-nistp256-cert-v01@openssh.com ecdsa-sha2-nistp384 ecdsa-sha2-nistp384-cert-v01@openssh.com
      ecdsa-sha2-nistp521 ecdsa-sha2-nistp521-cert-v01@openssh.com sk-ecdsa-sha2-nistp256@openssh.com
      sk-ecdsa-sha2-nistp256-cert-v01@openssh.com webauthn-sk-ecdsa-sha2-nistp256@openssh.com ssh-dss ssh-dss-cert-v01@openssh.com
      ssh-rsa ssh-rsa-cert-v01@openssh.com rsa-sha2-256 rsa-sha2-256-cert-v01@openssh.com rsa-sha2-512
      rsa-sha2-512-cert-v01@openssh.com`),
    defaults: list(`ssh-ed25519-cert-v01@openssh.com ecdsa-sha2-nistp256-cert-v01@openssh.com ecdsa-sha2-nistp384-cert-v01@openssh.com
      ecdsa-sha2-nistp521-cert-v01@openssh.com sk-ssh-ed25519-cert-v01@openssh.com sk-ecdsa-sha2-nistp256-cert-v01@openssh.com
      rsa-sha2-512-cert-v01@openssh.com rsa-sha2-256-cert-v01@openssh.com ssh-ed25519 ecdsa-sha2-nistp256 ecdsa-sha2-nistp384
      ecdsa-sha2-nistp521 sk-ssh-ed25519@openssh.com sk-ecdsa-sha2-nistp256@openssh.com rsa-sha2-512 rsa-sha2-256`),
  },
  /** CASignatureAlgorithms */
  signatures: {
    all: list(`ssh-ed25519 sk-ssh-ed25519@openssh.com ecdsa-sha2-nistp256 ecdsa-sha2-nistp384 ecdsa-sha2-nistp521
      sk-ecdsa-sha2-nistp256@openssh.com webauthn-sk-ecdsa-sha2-nistp256@openssh.com ssh-dss ssh-rsa rsa-sha2-256 rsa-sha2-512`),
    defaults: list(`ssh-ed25519 ecdsa-sha2-nistp256 ecdsa-sha2-nistp384 ecdsa-sha2-nistp521 sk-ssh-ed25519@openssh.com
      sk-ecdsa-sha2-nistp256@openssh.com rsa-sha2-512 rsa-sha2-256`),
  },
} as const;

/** Debian's GSSAPI key exchange patch: the names GSSAPIKexAlgorithms takes, and its default */
export const GSS_KEX = {
  all: list('gss-gex-sha1- gss-group1-sha1- gss-group14-sha1- gss-group14-sha256- gss-group16-sha512- gss-nistp256-sha256- gss-curve25519-sha256-'),
  defaults: 'gss-group14-sha256-,gss-group16-sha512-,gss-nistp256-sha256-,gss-curve25519-sha256-,gss-group14-sha1-,gss-gex-sha1-',
};

/** misc.c ipqos[]: name → DSCP/TOS value, in the order iptos2str() looks a value up ("none" is INT_MAX there) */
export const IPQOS: readonly (readonly [string, number])[] = [
  ['none', 0x7fffffff],
  ...[
    ['af11', 0x28],
    ['af12', 0x30],
    ['af13', 0x38],
    ['af21', 0x48],
    ['af22', 0x50],
    ['af23', 0x58],
    ['af31', 0x68],
    ['af32', 0x70],
    ['af33', 0x78],
    ['af41', 0x88],
    ['af42', 0x90],
    ['af43', 0x98],
    ['cs0', 0x00],
    ['cs1', 0x20],
    ['cs2', 0x40],
    ['cs3', 0x60],
    ['cs4', 0x80],
    ['cs5', 0xa0],
    ['cs6', 0xc0],
    ['cs7', 0xe0],
    ['ef', 0xb8],
    ['le', 0x01],
    ['lowdelay', 0x10],
    ['throughput', 0x08],
    ['reliability', 0x04],
  ].map(([n, v]) => [n as string, v as number] as const),
];

/** LogLevel names ssh takes → the name `ssh -G` prints (QUIET is SILENT there, DEBUG1 is DEBUG) */
export const LOG_LEVELS: Readonly<Record<string, string>> = {
  quiet: 'SILENT',
  silent: 'SILENT',
  fatal: 'FATAL',
  error: 'ERROR',
  info: 'INFO',
  verbose: 'VERBOSE',
  debug: 'DEBUG',
  debug1: 'DEBUG',
  debug2: 'DEBUG2',
  debug3: 'DEBUG3',
};
/** the levels below INFO, at which UpdateHostKeys=ask has nobody to ask */
export const QUIET_LEVELS = new Set(['SILENT', 'FATAL', 'ERROR']);

export const SYSLOG_FACILITIES = list('DAEMON USER AUTH AUTHPRIV LOCAL0 LOCAL1 LOCAL2 LOCAL3 LOCAL4 LOCAL5 LOCAL6 LOCAL7');
