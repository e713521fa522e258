// The keywords of OpenSSH 9.2's ssh_config (readconf.c keywords[], with Debian's GSSAPI ones).

/** Every keyword ssh accepts, by the name `ssh -G` prints it under */
export const KEYWORDS = new Set(
  `
  addkeystoagent addressfamily batchmode bindaddress bindinterface canonicaldomains
  canonicalizefallbacklocal canonicalizehostname canonicalizemaxdots canonicalizepermittedcnames
  casignaturealgorithms certificatefile checkhostip ciphers clearallforwardings compression
  connectionattempts connecttimeout controlmaster controlpath controlpersist dynamicforward
  enableescapecommandline enablesshkeysign escapechar exitonforwardfailure fingerprinthash
  forkafterauthentication forwardagent forwardx11 forwardx11timeout forwardx11trusted gatewayports
  globalknownhostsfile gssapiauthentication gssapiclientidentity gssapidelegatecredentials
  gssapikeyexchange gssapikexalgorithms gssapirenewalforcesrekey gssapiserveridentity gssapitrustdns
  hashknownhosts host hostbasedacceptedalgorithms hostbasedauthentication hostkeyalgorithms
  hostkeyalias hostname identitiesonly identityagent identityfile ignoreunknown include ipqos
  kbdinteractiveauthentication kbdinteractivedevices kexalgorithms knownhostscommand localcommand
  localforward loglevel logverbose macs match nohostauthenticationforlocalhost
  numberofpasswordprompts passwordauthentication permitlocalcommand permitremoteopen pkcs11provider
  port preferredauthentications proxycommand proxyjump proxyusefdpass pubkeyacceptedalgorithms
  pubkeyauthentication rekeylimit remotecommand remoteforward requesttty requiredrsasize
  revokedhostkeys securitykeyprovider sendenv serveralivecountmax serveraliveinterval sessiontype
  setenv stdinnull streamlocalbindmask streamlocalbindunlink stricthostkeychecking syslogfacility
  tcpkeepalive tunnel tunneldevice updatehostkeys user userknownhostsfile verifyhostkeydns
  visualhostkey xauthlocation
`
    .split(/\s+/)
    .filter(Boolean),
);

/** Old spellings ssh still reads as another keyword */
export const ALIASES: Readonly<Record<string, string>> = {
  identityfile2: 'identityfile',
  challengeresponseauthentication: 'kbdinteractiveauthentication',
  skeyauthentication: 'kbdinteractiveauthentication',
  tisauthentication: 'kbdinteractiveauthentication',
  dsaauthentication: 'pubkeyauthentication',
  keepalive: 'tcpkeepalive',
  hostbasedkeytypes: 'hostbasedacceptedalgorithms',
  pubkeyacceptedkeytypes: 'pubkeyacceptedalgorithms',
  smartcarddevice: 'pkcs11provider',
};

/** Keywords ssh accepts and ignores: deprecated ones silently, unsupported ones with a warning */
export const IGNORED: Readonly<Record<string, string>> = Object.fromEntries([
  ...'protocol cipher fallbacktorsh globalknownhostsfile2 rhostsauthentication userknownhostsfile2 useroaming usersh useprivilegedport'
    .split(' ')
    .map((k) => [k, 'deprecated: ssh ignores it']),
  ...'afstokenpassing kerberosauthentication kerberostgtpassing rsaauthentication rhostsrsaauthentication compressionlevel'
    .split(' ')
    .map((k) => [k, 'no longer supported: ssh ignores it']),
]);
