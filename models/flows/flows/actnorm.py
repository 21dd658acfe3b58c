"""ActNorm (Glow, Kingma & Dhariwal 2018): per-channel affine y = (x + b) * exp(logs).

Data-dependent init: on the first forward call in training mode, b and logs are set so
that the output of that batch has zero mean / unit variance per channel.
log|det J| = H * W * sum(logs) per batch element.
"""
import torch
import torch.nn as nn


class ActNorm(nn.Module):
    def __init__(self, channels, eps=1e-6):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(1, channels, 1, 1))
        self.logs = nn.Parameter(torch.zeros(1, channels, 1, 1))
        self.register_buffer("initialized", torch.tensor(0, dtype=torch.uint8))
        self.eps = eps

    @torch.no_grad()
    def data_init(self, x):
        mean = x.mean(dim=(0, 2, 3), keepdim=True)
        std = x.std(dim=(0, 2, 3), keepdim=True, unbiased=False)
        self.bias.data.copy_(-mean)
        self.logs.data.copy_(-torch.log(std + self.eps))
        self.initialized.fill_(1)

    def forward(self, x, cond=None):
        if self.initialized.item() == 0 and self.training:
            self.data_init(x)
        y = (x + self.bias) * torch.exp(self.logs)
        logdet = x.shape[2] * x.shape[3] * self.logs.sum() * torch.ones(x.shape[0], dtype=x.dtype, device=x.device)
        return y, logdet

    def inverse(self, y, cond=None):
        return y * torch.exp(-self.logs) - self.bias
