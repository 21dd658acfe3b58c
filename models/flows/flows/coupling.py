"""Affine coupling (RealNVP / Glow), optionally conditioned (SRFlow-style) on a feature map.

x = [xa, xb] (channel split). (s_raw, t) = NN([xa, cond]);
log_s = B * tanh(s_raw / B)   (bounded log-scale, B = scale_bound)
yb = xb * exp(log_s) + t,  ya = xa.   log|det J| = sum(log_s).

Bounding the log-scale (instead of Glow's sigmoid(h + 2)) kept training finite in our
SR experiments; the last conv is zero-initialised so each step starts as identity.
"""
import torch
import torch.nn as nn


def coupling_net(c_in, c_out, hidden, kernel=3):
    net = nn.Sequential(
        nn.Conv2d(c_in, hidden, kernel, padding=kernel // 2), nn.ReLU(inplace=False),
        nn.Conv2d(hidden, hidden, 1), nn.ReLU(inplace=False),
        nn.Conv2d(hidden, c_out, kernel, padding=kernel // 2))
    nn.init.zeros_(net[-1].weight)
    nn.init.zeros_(net[-1].bias)
    return net


class AffineCoupling(nn.Module):
    def __init__(self, channels, hidden=64, cond_channels=0, scale_bound=2.0, kernel=3):
        super().__init__()
        self.ca = channels // 2
        self.cb = channels - self.ca
        self.scale_bound = scale_bound
        self.net = coupling_net(self.ca + cond_channels, 2 * self.cb, hidden, kernel)

    def _params(self, xa, cond):
        h = xa if cond is None else torch.cat([xa, cond], 1)
        out = self.net(h)
        s_raw, t = out[:, 0::2], out[:, 1::2]
        log_s = self.scale_bound * torch.tanh(s_raw / self.scale_bound)
        return log_s, t

    def forward(self, x, cond=None):
        xa, xb = x[:, :self.ca], x[:, self.ca:]
        log_s, t = self._params(xa, cond)
        yb = xb * torch.exp(log_s) + t
        return torch.cat([xa, yb], 1), log_s.flatten(1).sum(1)

    def inverse(self, y, cond=None):
        ya, yb = y[:, :self.ca], y[:, self.ca:]
        log_s, t = self._params(ya, cond)
        xb = (yb - t) * torch.exp(-log_s)
        return torch.cat([ya, xb], 1)
