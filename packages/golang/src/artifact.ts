/** One entry of go-cross-build's `artifacts` output: the contract docker-multistage reads. */
export interface Artifact {
  os: string;
  arch: string;
  /** The variant as the target named it (GOARM `7`, GOAMD64 `v3`); empty for none. */
  variant?: string;
  /** The binary's OCI platform (`linux/arm/v7`, `linux/amd64`), the form images use. */
  platform?: string;
  path: string;
  /** Hex sha256 of the binary. */
  sha256?: string;
  /** Bytes. */
  size?: number;
  /** The archive holding the binary, when archives were made. */
  archive?: string;
}
