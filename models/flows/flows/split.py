"""Split with a learned Gaussian prior (Glow multi-scale architecture).

x = [x1, x2].  A zero-initialised conv on x1 gives (mu, log_sigma) of the prior
p(x2 | x1) = N(mu(x1), sigma(x1)^2).  As a bijection we return
    y = [x1, eps],  eps = (x2 - mu) / sigma,   log|det J| = -sum(log_sigma),
so the split-off half's log-likelihood is  log N(eps; 0, I) + logdet  (standard normal on
eps).  `split_off(y)` returns (x1, eps): carry x1 on through the next scale, score eps.
inverse(y) reconstructs x exactly; `sample(x1, temperature)` draws x2 from the prior.
"""
import torch
import torch.nn as nn


class Split(nn.Module):
    def __init__(self, channels, kernel=3, log_sigma_bound=5.0):
        super().__init__()
        self.c1 = channels // 2
        self.c2 = channels - self.c1
        self.bound = log_sigma_bound
        self.prior = nn.Conv2d(self.c1, 2 * self.c2, kernel, padding=kernel // 2)
        nn.init.zeros_(self.prior.weight)
        nn.init.zeros_(self.prior.bias)

    def _prior(self, x1):
        h = self.prior(x1)
        mu, ls = h[:, 0::2], h[:, 1::2]
        return mu, self.bound * torch.tanh(ls / self.bound)

    def forward(self, x, cond=None):
        x1, x2 = x[:, :self.c1], x[:, self.c1:]
        mu, ls = self._prior(x1)
        eps = (x2 - mu) * torch.exp(-ls)
        return torch.cat([x1, eps], 1), -ls.flatten(1).sum(1)

    def split_off(self, y):
        return y[:, :self.c1], y[:, self.c1:]

    def inverse(self, y, cond=None):
        x1, eps = y[:, :self.c1], y[:, self.c1:]
        mu, ls = self._prior(x1)
        return torch.cat([x1, mu + torch.exp(ls) * eps], 1)

    def sample(self, x1, temperature=1.0):
        mu, ls = self._prior(x1)
        return torch.cat([x1, mu + temperature * torch.exp(ls) * torch.randn_like(mu)], 1)
