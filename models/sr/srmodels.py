"""x2 super-resolution models: a conditional affine-coupling flow (SRFlow-like) and a
same-size CNN baseline (ESPCN-style with residual blocks and a bicubic skip).

Both predict the HR residual against a fixed bicubic x2 upsampler implemented as a constant
depthwise 5x5 conv + PixelShuffle (PIL-style bicubic, a = -0.5, edge-replicate padding), so
exported graphs contain only Pad/Conv/DepthToSpace/elementwise ops.
"""
import os
import sys
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "flows"))
from flows import ActNorm, InvConv1x1, AffineCoupling  # noqa: E402


def _cubic(d, a=-0.5):
    d = abs(d)
    if d <= 1:
        return (a + 2) * d ** 3 - (a + 3) * d ** 2 + 1
    if d < 2:
        return a * d ** 3 - 5 * a * d ** 2 + 8 * a * d - 4 * a
    return 0.0


class BicubicUp2(nn.Module):
    """Fixed x2 bicubic upsampling (half-pixel centres, a=-0.5, replicate borders)."""

    def __init__(self):
        super().__init__()
        p0 = [_cubic(1.75), _cubic(0.75), _cubic(0.25), _cubic(1.25), 0.0]  # out 2i   <- in i-0.25
        p1 = [0.0, _cubic(1.25), _cubic(0.25), _cubic(0.75), _cubic(1.75)]  # out 2i+1 <- in i+0.25
        ph = [torch.tensor(p0), torch.tensor(p1)]
        k = torch.zeros(12, 1, 5, 5)
        for c in range(3):
            for py in range(2):
                for px in range(2):
                    k[c * 4 + py * 2 + px, 0] = torch.outer(ph[py], ph[px])
        self.register_buffer("kernel", k)

    def forward(self, x):
        x = F.pad(x, (2, 2, 2, 2), mode="replicate")
        return F.pixel_shuffle(F.conv2d(x, self.kernel, groups=3), 2)


class ResBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c1 = nn.Conv2d(c, c, 3, padding=1)
        self.c2 = nn.Conv2d(c, c, 3, padding=1)

    def forward(self, x):
        return x + self.c2(F.relu(self.c1(x)))


class CondNet(nn.Module):
    def __init__(self, c=48, blocks=3):
        super().__init__()
        self.head = nn.Conv2d(3, c, 3, padding=1)
        self.body = nn.Sequential(*[ResBlock(c) for _ in range(blocks)])

    def forward(self, lr):
        return self.body(self.head(lr - 0.5))


class FlowSR(nn.Module):
    """Conditional flow over the squeezed HR residual r = HR - bicubic(LR), (12, h, w).

    data -> latent:  r --Squeeze--> [ActNorm -> InvConv1x1 -> AffineCoupling(cond)] x K -> z
    p(z) = N(0, I).  Condition = CondNet(LR) features at LR resolution.
    temperature-0 output: z = 0 pushed through the inverse steps.
    """

    def __init__(self, feat=48, blocks=3, steps=4, hidden=48, scale_bound=2.0):
        super().__init__()
        self.up = BicubicUp2()
        self.cond = CondNet(feat, blocks)
        self.steps = nn.ModuleList()
        for k in range(steps):
            self.steps.append(nn.ModuleList([
                ActNorm(12), InvConv1x1(12, lu=True, seed=k),
                AffineCoupling(12, hidden=hidden, cond_channels=feat, scale_bound=scale_bound)]))

    def encode(self, hr, lr, feat=None):
        """Returns z, log|det| (per sample) of the data->latent map, for the residual."""
        feat = self.cond(lr) if feat is None else feat
        x = F.pixel_unshuffle(hr - self.up(lr), 2)
        logdet = torch.zeros(x.shape[0], dtype=x.dtype, device=x.device)
        for step in self.steps:
            for layer in step:
                x, ld = layer(x, feat)
                logdet = logdet + ld
        return x, logdet

    def decode(self, z, lr, feat=None):
        feat = self.cond(lr) if feat is None else feat
        x = z
        for step in reversed(self.steps):
            for layer in reversed(step):
                x = layer.inverse(x, feat)
        return self.up(lr) + F.pixel_shuffle(x, 2)

    def sample(self, lr, temperature=0.0):
        feat = self.cond(lr)
        z = feat[:, :12] * 0.0
        if temperature > 0:
            z = z + temperature * torch.randn_like(z)
        return self.decode(z, lr, feat)

    def losses(self, hr, lr, dequant=True, nll_samples=None):
        """NLL of the (dequantised) HR residual and MSE of the temperature-0 output.
        nll_samples: the NLL is taken over the first n samples of the batch only (None: all). The
        encode pass is most of a step's cost beyond the CNN's (train.py --nll-batch); batches are
        random, so the first n are a random subset."""
        feat = self.cond(lr)
        n = hr.shape[0] if nll_samples is None else min(nll_samples, hr.shape[0])
        hr_n = hr[:n] + (torch.rand_like(hr[:n]) - 0.5) / 255.0 if dequant else hr[:n]
        z, logdet = self.encode(hr_n, lr[:n], feat[:n])
        d = z[0].numel()
        logp = -0.5 * (z ** 2).flatten(1).sum(1) - 0.5 * d * torch.log(torch.tensor(2 * torch.pi))
        nll = -(logp + logdet).mean() / d          # nats per dimension
        out0 = self.decode(feat[:, :12] * 0.0, lr, feat)
        mse = F.mse_loss(out0, hr)
        return nll, mse, out0


class FlowSRExport(nn.Module):
    """Deterministic (z = 0) sampling path of FlowSR with 1x1-conv inverses precomputed."""

    def __init__(self, model):
        super().__init__()
        self.m = model
        for step in model.steps:
            step[1].freeze_inverse()

    def forward(self, lr):
        return torch.clamp(self.m.sample(lr, 0.0), 0.0, 1.0)


class FlowSRSampleExport(nn.Module):
    """Sampling path of FlowSR with the latent as a graph input: (lr, z) -> clamp(decode(z | lr)).

    z is the flow's latent, [K, 12, h, w] at LR resolution (the squeezed x2 residual), N(0, I)
    under the model; the caller draws it and scales it by the temperature. lr is [1, 3, h, w]:
    the condition network and the bicubic base run once and are shared by the K samples (output
    [K, 3, 2h, 2w]). z = 0 gives exactly FlowSRExport's output.
    """

    def __init__(self, model):
        super().__init__()
        self.m = model
        for step in model.steps:
            if step[1].frozen_inv.numel() == 0:
                step[1].freeze_inverse()

    def forward(self, lr, z):
        k = z.shape[0]
        feat = self.m.cond(lr).expand(k, -1, -1, -1)
        x = z
        for step in reversed(self.m.steps):
            for layer in reversed(step):
                x = layer.inverse(x, feat)
        return torch.clamp(self.m.up(lr).expand(k, -1, -1, -1) + F.pixel_shuffle(x, 2), 0.0, 1.0)


class CNNSR(nn.Module):
    """ESPCN-style baseline: head conv, residual blocks, conv to 12 ch, PixelShuffle, + bicubic."""

    def __init__(self, feat=48, blocks=6):
        super().__init__()
        self.up = BicubicUp2()
        self.cond = CondNet(feat, blocks)
        self.tail = nn.Conv2d(feat, 12, 3, padding=1)
        nn.init.zeros_(self.tail.weight)
        nn.init.zeros_(self.tail.bias)

    def forward(self, lr):
        return self.up(lr) + F.pixel_shuffle(self.tail(self.cond(lr)), 2)


class CNNSRExport(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.m = model

    def forward(self, lr):
        return torch.clamp(self.m(lr), 0.0, 1.0)


def count_params(m):
    return sum(p.numel() for p in m.parameters() if p.requires_grad)
