"""Small normalizing-flow layer library (see ../README.md).

Every layer: forward(x[, cond]) -> (y, logdet) with logdet = log|det dy/dx| per batch
element, and inverse(y[, cond]) -> x.
"""
from .actnorm import ActNorm
from .invconv1x1 import InvConv1x1
from .coupling import AffineCoupling
from .quad import QuadCoupling
from .squeeze import Squeeze
from .split import Split
from .masked import causal_conv, causal_conv_transposed, solve_causal, check_causal_kernel
from .cinc import MaskedConv, CInCConv3x3, FInCConv
from .inverse_conv import InverseConv, InverseConvFn, inverse_conv

__all__ = ["ActNorm", "InvConv1x1", "AffineCoupling", "QuadCoupling", "Squeeze", "Split",
           "MaskedConv", "CInCConv3x3", "FInCConv", "InverseConv", "InverseConvFn", "inverse_conv",
           "causal_conv", "causal_conv_transposed", "solve_causal", "check_causal_kernel"]
