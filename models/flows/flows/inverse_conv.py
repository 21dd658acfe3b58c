"""Inverse-convolution layer ("Parallel Backpropagation for Inverse of a Convolution with
Application to Normalizing Flows").

data -> latent:  z = A^{-1} x, where A is a causal k x k conv (triangular, see masked.py).
                 Computed by a wavefront triangular solve; log|det J| = -H W sum(log|diag M|).
latent -> data:  x = A z, an ordinary convolution (fast sampling).

Backward of z = A^{-1} x is a custom torch.autograd.Function:
  u      = A^{-T} g            (g = dL/dz; transposed triangular system solved by wavefronts
                                from the bottom-right corner)
  dL/dx  = u
  dL/dK  = - conv_weight_grad(input = z, grad_output = u)   (from A z = x => dz = -A^{-1} dA z)
so no autograd graph through the H + W - 1 sequential solve steps is kept.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .masked import causal_conv, solve_causal
from .cinc import MaskedConv


class InverseConvFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, K):
        z = solve_causal(x, K, transposed=False, method="wavefront")
        ctx.save_for_backward(z, K)
        return z

    @staticmethod
    def backward(ctx, g):
        z, K = ctx.saved_tensors
        k = K.shape[-1]
        u = solve_causal(g.contiguous(), K, transposed=True, method="wavefront")
        gK = -torch.nn.grad.conv2d_weight(F.pad(z, (k - 1, 0, k - 1, 0)), K.shape, u)
        return u, gK


def inverse_conv(x, K):
    return InverseConvFn.apply(x, K)


class InverseConv(MaskedConv):
    def forward(self, x, cond=None):
        K = self.kernel()
        z = inverse_conv(x, K)
        ld = -x.shape[2] * x.shape[3] * self.log_abs_det_per_pixel()
        return z, ld * torch.ones(x.shape[0], dtype=x.dtype, device=x.device)

    def inverse(self, z, cond=None):
        return causal_conv(z, self.kernel())
