"""CInC Flow-style invertible k x k convolution (default 3 x 3), and the FInC Flow-style
4-quadrant masked k x k convolution with a parallel (wavefront) inverse.

Parametrisation that maintains the invertibility condition during training:
  K = weight * mask + diag(exp(log_diag)) placed on the self tap,
where `mask` zeroes the upper triangle *and* the diagonal of the self tap.  So the self tap is
always lower triangular with positive diagonal -> the padded (top/left) conv is invertible.
`check_invertible()` verifies this on the effective kernel (or on a kernel you pass, e.g. one
loaded from elsewhere) and raises ValueError on a violation.
"""
import torch
import torch.nn as nn

from .masked import causal_conv, solve_causal, check_causal_kernel


class MaskedConv(nn.Module):
    def __init__(self, channels, k=3, init_std=0.05, seed=None):
        super().__init__()
        self.k = k
        self.channels = channels
        g = torch.Generator().manual_seed(seed) if seed is not None else None
        self.weight = nn.Parameter(torch.randn(channels, channels, k, k, generator=g) * init_std / k)
        self.log_diag = nn.Parameter(torch.zeros(channels))
        mask = torch.ones(channels, channels, k, k)
        mask[:, :, k - 1, k - 1] = torch.tril(torch.ones(channels, channels), -1)
        self.register_buffer("mask", mask)
        self._override = None   # a raw kernel set with set_kernel(), for checks / tests

    def kernel(self):
        if self._override is not None:
            return self._override
        K = self.weight * self.mask
        d = torch.zeros_like(K)
        d[:, :, self.k - 1, self.k - 1] = torch.diag(torch.exp(self.log_diag))
        return K + d

    def set_kernel(self, K):
        """Use an arbitrary raw kernel (bypasses the parametrisation); see check_invertible."""
        self._override = K

    def check_invertible(self, K=None, tol=1e-6):
        return check_causal_kernel(self.kernel() if K is None else K, tol)

    def log_abs_det_per_pixel(self):
        K = self.kernel()
        return torch.log(torch.abs(torch.diagonal(K[:, :, self.k - 1, self.k - 1]))).sum()

    def forward(self, x, cond=None):
        y = causal_conv(x, self.kernel())
        ld = x.shape[2] * x.shape[3] * self.log_abs_det_per_pixel()
        return y, ld * torch.ones(x.shape[0], dtype=x.dtype, device=x.device)

    def inverse(self, y, cond=None, method="wavefront"):
        K = self.kernel()
        self.check_invertible(K)
        return solve_causal(y, K.detach(), transposed=False, method=method)


class CInCConv3x3(MaskedConv):
    """Invertible 3x3 conv with top/left padding (CInC Flow)."""

    def __init__(self, channels, init_std=0.05, seed=None):
        super().__init__(channels, 3, init_std, seed)


_FLIPS = [(), (3,), (2,), (2, 3)]   # top-left, top-right, bottom-left, bottom-right causal


class FInCConv(nn.Module):
    """FInC Flow-style k x k invertible conv: four quadrant-masked convs (each causal in a
    different corner direction, so together they see a full k x k neighbourhood), each
    inverted in parallel along anti-diagonal wavefronts (H + W - 1 steps per quadrant)."""

    def __init__(self, channels, k=3, init_std=0.05, seed=None):
        super().__init__()
        self.convs = nn.ModuleList([MaskedConv(channels, k, init_std,
                                               None if seed is None else seed + n) for n in range(4)])

    def check_invertible(self):
        return all(c.check_invertible() for c in self.convs)

    def forward(self, x, cond=None):
        logdet = 0
        for conv, fl in zip(self.convs, _FLIPS):
            xf = x.flip(fl) if fl else x
            y, ld = conv(xf)
            x = y.flip(fl) if fl else y
            logdet = logdet + ld
        return x, logdet

    def inverse(self, y, cond=None, method="wavefront"):
        for conv, fl in reversed(list(zip(self.convs, _FLIPS))):
            yf = y.flip(fl) if fl else y
            xf = conv.inverse(yf, method=method)
            y = xf.flip(fl) if fl else xf
        return y
