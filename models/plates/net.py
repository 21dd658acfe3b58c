"""PlateNet: small fully-convolutional licence-plate probability map at stride 4.

input  image      [1,3,H,W] RGB in [0,1], H and W multiples of 32
output plate_prob [1,1,H/4,W/4] sigmoid probability that the stride-4 cell is inside a plate

Layout (channels c4 at stride 4, c8 at stride 8):
  stem    3x3 s2 3->12, 3x3 s2 12->c4, 3x3 c4->c4            (stride 4, RF 15 px)
  context 3x3 s2 c4->c8, then 3x3 convs dilation 1,2,4,8       (stride 8, RF 263 px)
  fuse    2x2 transposed conv c8->c4 (x2 up) + stride-4 skip, 3x3 c4->c4, 1x1 c4->1, sigmoid
"""
import torch
import torch.nn as nn


def cbr(cin, cout, stride=1, dil=1):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, padding=dil, dilation=dil, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class PlateNet(nn.Module):
    def __init__(self, c4=20, c8=40, dils=(1, 2, 4, 8)):
        super().__init__()
        self.stem = nn.Sequential(cbr(3, 12, 2), cbr(12, c4, 2), cbr(c4, c4))
        self.down = cbr(c4, c8, 2)
        self.ctx = nn.Sequential(*[cbr(c8, c8, 1, d) for d in dils])
        self.up = nn.ConvTranspose2d(c8, c4, 2, stride=2)
        self.fuse = cbr(c4, c4)
        self.head = nn.Conv2d(c4, 1, 1)

    def logits(self, x):
        s4 = self.stem(x)
        c = self.ctx(self.down(s4))
        return self.head(self.fuse(torch.relu(self.up(c) + s4)))

    def forward(self, x):
        return torch.sigmoid(self.logits(x))


def n_params(m):
    return sum(p.numel() for p in m.parameters() if p.requires_grad)


def macs(m, h, w):
    """Multiply-accumulates of the convolutions at input size h x w."""
    total = 0
    hooks = []

    def hook(mod, inp, out):
        nonlocal total
        k = mod.weight.numel() // (mod.groups if isinstance(mod, nn.Conv2d) else 1)
        if isinstance(mod, nn.ConvTranspose2d):
            total += inp[0].numel() * mod.weight.shape[1] * mod.weight.shape[2] * mod.weight.shape[3]
        else:
            total += out.numel() * (k // out.shape[1])
    for mod in m.modules():
        if isinstance(mod, (nn.Conv2d, nn.ConvTranspose2d)):
            hooks.append(mod.register_forward_hook(hook))
    with torch.no_grad():
        m(torch.zeros(1, 3, h, w))
    for hk in hooks:
        hk.remove()
    return total
