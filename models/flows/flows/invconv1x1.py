"""Invertible 1x1 convolution (Glow). Plain (full matrix W) or LU-decomposed:
W = P L (U + diag(sign * exp(log_s))), P fixed permutation, L unit lower, U strictly upper.
log|det J| = H * W * log|det W|  (LU: H * W * sum(log_s)).

For export, `inverse_weight()` gives W^{-1}; call `freeze_inverse()` to store it as a
constant buffer so that the sampling direction contains no matrix inverse op.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class InvConv1x1(nn.Module):
    def __init__(self, channels, lu=True, seed=None):
        super().__init__()
        self.lu = lu
        self.channels = channels
        g = torch.Generator().manual_seed(seed) if seed is not None else None
        w0 = torch.linalg.qr(torch.randn(channels, channels, generator=g))[0]
        if lu:
            P, L, U = torch.linalg.lu(w0)
            s = torch.diagonal(U)
            self.register_buffer("P", P)
            self.register_buffer("sign_s", torch.sign(s))
            self.register_buffer("l_mask", torch.tril(torch.ones(channels, channels), -1))
            self.register_buffer("eye", torch.eye(channels))
            self.L = nn.Parameter(L)
            self.U = nn.Parameter(torch.triu(U, 1))
            self.log_s = nn.Parameter(torch.log(torch.abs(s)))
        else:
            self.weight = nn.Parameter(w0)
        self.register_buffer("frozen_inv", torch.zeros(0))

    def weight_matrix(self):
        if self.lu:
            L = self.L * self.l_mask + self.eye.to(self.L.dtype)
            U = self.U * self.l_mask.T + torch.diag(self.sign_s * torch.exp(self.log_s))
            return self.P.to(L.dtype) @ L @ U
        return self.weight

    def log_abs_det(self):
        if self.lu:
            return self.log_s.sum()
        return torch.linalg.slogdet(self.weight)[1]

    def inverse_weight(self):
        if self.frozen_inv.numel() > 0:
            return self.frozen_inv
        return torch.inverse(self.weight_matrix())

    @torch.no_grad()
    def freeze_inverse(self):
        """Precompute W^{-1} as a constant (for ONNX export of the sampling path)."""
        self.frozen_inv = torch.inverse(self.weight_matrix().double()).to(self.weight_matrix().dtype)

    def forward(self, x, cond=None):
        W = self.weight_matrix()
        y = F.conv2d(x, W.view(self.channels, self.channels, 1, 1))
        logdet = x.shape[2] * x.shape[3] * self.log_abs_det() * torch.ones(x.shape[0], dtype=x.dtype, device=x.device)
        return y, logdet

    def inverse(self, y, cond=None):
        Wi = self.inverse_weight()
        return F.conv2d(y, Wi.view(self.channels, self.channels, 1, 1))
