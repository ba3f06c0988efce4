// etcd 3.6 for the sandbox (Debian's 3.4 is below what kube-apiserver 1.34 supports).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
