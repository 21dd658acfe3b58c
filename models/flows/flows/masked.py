"""Causal ("quadrant-masked") k x k convolution and its triangular solves.

A causal conv uses zero padding of k-1 on the top and left only:
    y[:, i, j] = sum_{p,q=0..k-1} K[:, :, k-1-p, k-1-q] @ x[:, i-p, j-q]
so output pixel (i, j) depends only on input pixels (i', j') with i' <= i, j' <= j.  With the
"self" tap M = K[:, :, k-1, k-1] lower triangular over channels, the Jacobian is triangular
in (row, column, channel) raster order and log|det J| = H * W * sum(log|diag M|)
(the CInC Flow invertibility condition: triangular self tap with non-zero diagonal).

Solving y = A x for x:
  * sequential: one pixel at a time in raster order (H*W dependent steps);
  * wavefront (FInC Flow): every pixel on the anti-diagonal i + j = d depends only on
    pixels with i' + j' < d, so a whole anti-diagonal is solved at once: H + W - 1 dependent
    steps, O(k^2 C^2) work per pixel.
The transposed system A^T u = g (needed for backprop through an inverse conv) is solved the
same way from the bottom-right corner, with the upper-triangular M^T.
"""
import torch
import torch.nn.functional as F


def causal_conv(x, K):
    k = K.shape[-1]
    return F.conv2d(F.pad(x, (k - 1, 0, k - 1, 0)), K)


def causal_conv_transposed(u, K):
    """A^T u for A = causal_conv(., K)."""
    k = K.shape[-1]
    return F.conv2d(F.pad(u, (0, k - 1, 0, k - 1)), K.flip(2, 3).transpose(0, 1))


def _taps(K, transposed):
    k = K.shape[-1]
    P, Q, T = [], [], []
    for p in range(k):
        for q in range(k):
            if p == 0 and q == 0:
                continue
            w = K[:, :, k - 1 - p, k - 1 - q]
            P.append(p)
            Q.append(q)
            T.append(w.t() if transposed else w)
    dev = K.device
    return (torch.tensor(P, device=dev), torch.tensor(Q, device=dev),
            torch.stack(T) if T else K.new_zeros(0, K.shape[0], K.shape[1]))


def _pixel_groups(H, W, method, reverse, device):
    if method == "wavefront":
        ds = range(H + W - 1)
        groups = []
        for d in ds:
            i = torch.arange(max(0, d - W + 1), min(H, d + 1), device=device)
            groups.append((i, d - i))
    elif method == "sequential":
        ii, jj = torch.meshgrid(torch.arange(H, device=device), torch.arange(W, device=device), indexing="ij")
        ii, jj = ii.reshape(-1), jj.reshape(-1)
        groups = [(ii[n:n + 1], jj[n:n + 1]) for n in range(H * W)]
    else:
        raise ValueError(method)
    return groups[::-1] if reverse else groups


@torch.no_grad()
def solve_causal(rhs, K, transposed=False, method="wavefront"):
    """Solve A x = rhs (or A^T x = rhs) for the causal conv A with kernel K."""
    B, C, H, W = rhs.shape
    k = K.shape[-1]
    pad = k - 1
    M = K[:, :, k - 1, k - 1]
    M = torch.triu(M.t()) if transposed else torch.tril(M)
    P, Q, T = _taps(K, transposed)
    s = 1 if transposed else -1
    u = rhs.new_zeros(B, C, H + 2 * pad, W + 2 * pad)
    for I, J in _pixel_groups(H, W, method, reverse=transposed, device=rhs.device):
        r = rhs[:, :, I, J]                                   # (B, C, n)
        if T.shape[0]:
            g = u[:, :, I[:, None] + s * P[None, :] + pad, J[:, None] + s * Q[None, :] + pad]  # (B,C,n,m)
            r = r - torch.einsum("bcnm,mdc->bdn", g, T)
        x = torch.linalg.solve_triangular(M, r, upper=transposed)
        u[:, :, I + pad, J + pad] = x
    return u[:, :, pad:pad + H, pad:pad + W].contiguous()


def check_causal_kernel(K, tol=1e-6):
    """Raise ValueError unless K satisfies the invertibility condition of a causal conv:
    self tap lower triangular over channels with every |diagonal| > tol."""
    k = K.shape[-1]
    if K.dim() != 4 or K.shape[0] != K.shape[1] or K.shape[2] != K.shape[3]:
        raise ValueError("kernel must be (C, C, k, k)")
    M = K[:, :, k - 1, k - 1]
    up = torch.triu(M, 1)
    if up.abs().max().item() > tol:
        raise ValueError("self tap is not lower triangular: the conv Jacobian is not triangular")
    d = torch.diagonal(M).abs()
    if d.min().item() <= tol:
        raise ValueError(f"self-tap diagonal has |d| = {d.min().item():.3g} <= {tol}: conv is singular")
    return True
