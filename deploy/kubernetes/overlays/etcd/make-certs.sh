#!/usr/bin/env bash
# The certificate recipe of overlays/etcd, with openssl: writes into DIR (default: certs/ beside this
# script, which the overlay's secretGenerator reads)
#   ca.crt                   the CA that signs the others (its key ca.key stays here: keep it safe, or
#                            delete it once you need no more certificates)
#   member.crt, member.key   the three members' certificate, as server and as peer (serverAuth and
#                            clientAuth), for *.nugator-etcd.<namespace>.svc[.<cluster domain>]
#   tls.crt, tls.key         the client certificate of nugatord and nugatorctl (CN nugator, clientAuth)
# Keys are PKCS#8 PEM: what nugatord reads (--etcd-key), and etcd reads it too. NAMESPACE (default
# nugator-system), CLUSTER_DOMAIN (cluster.local) and DAYS (825) change what it makes. It never
# overwrites: remove DIR to start again.
set -euo pipefail
out=${1:-$(dirname "$0")/certs}
namespace=${NAMESPACE:-nugator-system}
domain=${CLUSTER_DOMAIN:-cluster.local}
days=${DAYS:-825}
mkdir -p "$out"
cd "$out"
for file in ca.crt ca.key member.crt member.key tls.crt tls.key; do
  [ ! -e "$file" ] || { echo "make-certs: $out/$file exists; remove $out to make new certificates" >&2; exit 1; }
done
umask 077
key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null; }
# sign NAME CN EXTENSIONS: NAME.key and NAME.crt signed by the CA
sign() {
  key "$2.key"
  openssl req -new -key "$2.key" -subj "/CN=$3" -out "$2.csr"
  printf '%s\n' "$4" > "$2.ext"
  openssl x509 -req -in "$2.csr" -CA ca.crt -CAkey ca.key -set_serial "0x$(openssl rand -hex 8)" -days "$days" \
    -extfile "$2.ext" -out "$2.crt" 2>/dev/null
  rm -f "$2.csr" "$2.ext"
}
key ca.key
openssl req -x509 -new -key ca.key -subj "/CN=nugator-etcd-ca" -days "$days" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.crt
peers=nugator-etcd.$namespace.svc
sign member member nugator-etcd "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:*.$peers,DNS:*.$peers.$domain,DNS:$peers,DNS:$peers.$domain,DNS:localhost,IP:127.0.0.1"
sign client tls nugator "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
chmod 644 ca.crt member.crt tls.crt
echo "make-certs: wrote $(pwd)/{ca.crt,ca.key,member.crt,member.key,tls.crt,tls.key}" >&2
