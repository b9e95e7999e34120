"""The track-id simulator: seeded, physically sane (ionisation per cm, energies of each source within their
cited ranges, reconstructed against true energy), and the class balance of the original (1 in 7)."""

from __future__ import annotations

import numpy as np
import pytest

from tinylab.tasks.track_id import simulator as sim


@pytest.fixture(scope="module")
def clusters() -> sim.Clusters:
    return sim.generate(2800, seed=11)


def test_same_seed_same_clusters_other_seed_other_clusters():
    a, b, c = sim.generate(120, seed=3), sim.generate(120, seed=3), sim.generate(120, seed=4)
    assert np.array_equal(a.images, b.images) and np.array_equal(a.source, b.source)
    assert np.array_equal(a.reco_energy, b.reco_energy)
    assert not np.array_equal(a.images, c.images)


def test_images_are_raw_adc_of_the_original_size(clusters: sim.Clusters):
    assert clusters.images.shape == (2800, 128, 32) and clusters.images.dtype == np.float32
    assert np.array_equal(clusters.images, np.rint(clusters.images))  # whole ADC counts
    assert clusters.images.max() <= sim.ADC_SATURATION and clusters.images.min() >= -900
    # away from any charge the image is electronic noise of the stated rms
    quiet = clusters.images[:, :8, :4][np.abs(clusters.images[:, :8, :4]) < 6 * sim.NOISE_ADC]
    assert quiet.std() == pytest.approx(sim.NOISE_ADC, rel=0.05)


def test_one_in_seven_clusters_is_a_main_track_and_every_source_occurs(clusters: sim.Clusters):
    assert int(clusters.label.sum()) == 400  # round(2800 / 7)
    assert np.array_equal(clusters.label == 1, clusters.source == 0)
    counts = np.bincount(clusters.source, minlength=len(sim.SOURCES))
    expected = sim.source_counts(2800, 1 / 7, sim.BACKGROUND_MIX)
    assert counts.tolist() == [expected[s] for s in sim.SOURCES]


def test_every_cluster_passes_the_trigger(clusters: sim.Clusters):
    assert clusters.reco_energy.min() >= sim.CLUSTER_TRIGGER_MEV
    assert np.allclose(clusters.reco_energy, sim.reconstructed_energy(clusters.images))


def test_readout_constants_follow_from_the_cited_numbers():
    assert pytest.approx(0.08) == sim.TICK_CM
    mip_on_one_wire = sim.DEDX_MEV_PER_CM * sim.WIRE_PITCH_CM  # MeV
    assert mip_on_one_wire == pytest.approx(1.0, abs=0.01)
    assert pytest.approx(48.7) == sim.MIP_PEAK_ADC / sim.NOISE_ADC
    assert float(sim.box_recombination(2.1)) == pytest.approx(0.70, abs=0.01)
    assert 0.01 < sim.ALPHA_CHARGE_FRACTION < 0.05
    assert pytest.approx(0.29, abs=0.01) == sim.PILEUP_PER_IMAGE


def test_compton_attenuation_matches_nist_for_argon():
    # NIST XCOM, argon, incoherent scattering at 1 MeV: 0.0575 cm^2/g
    mu_rho = sim.ELECTRONS_PER_CM3 * float(sim.compton_cross_section(np.array([1.0]))[0]) / sim.DENSITY_G_CM3
    assert mu_rho == pytest.approx(0.0575, rel=0.02)


def test_electron_ionisation_per_cm_is_about_2_1_mev():
    rng = np.random.default_rng(0)
    n = 400
    pos = np.zeros((n, 3))
    pos[:, 0], pos[:, 2] = sim.WINDOW_X_CM / 2, sim.WINDOW_Z_CM / 2
    electrons = sim.Particles(np.arange(n), pos, sim.isotropic(rng, n), np.full(n, 20.0), np.zeros(n, bool))
    deposits, path = sim.Deposits(), np.zeros(n)
    deltas, _ = sim.transport_electrons(rng, electrons, deposits, path=path)
    _, _, _, e, _, _ = deposits.arrays()
    # ionisation by the primary: its continuous loss plus the energy it gave to delta rays
    per_cm = (e.sum() + deltas.energy.sum()) / path.sum()
    assert per_cm == pytest.approx(sim.DEDX_MEV_PER_CM, rel=0.03)
    assert len(deltas) > 0  # knock-on electrons are made


def test_energies_of_each_source_lie_in_their_cited_ranges(clusters: sim.Clusters):
    src = clusters.source
    e = clusters.particle_energy
    main = e[src == 0]
    assert main.min() >= 5.0 and main.max() <= 50.0 and 8 < np.median(main) < 20
    assert np.all(e[src == sim.SOURCES.index("ar39")] <= 0.565)
    assert np.all(e[src == sim.SOURCES.index("k42")] <= 3.525 + 1e-9)
    radon = e[src == sim.SOURCES.index("radon")]
    assert np.all((radon <= 3.27) | np.isin(radon, [5.49, 6.00, 7.69]))
    assert np.allclose(e[src == sim.SOURCES.index("neutron_capture")], sim.NCAPTURE_MEV)
    assert np.all(np.isin(np.round(e[src == sim.SOURCES.index("deexcitation_gamma")], 6), sim.K40_LEVELS_MEV))
    # nothing deposits more than its primary brought (pile-up is not counted in the truth)
    assert np.all(clusters.true_energy <= e + 1e-6)
    # the other clusters are a few MeV at most: all below the 6.1 MeV capture cascade (plus pile-up)
    assert np.percentile(clusters.reco_energy[src > 0], 99.9) < 6.5


def test_reconstructed_energy_matches_true_energy_for_contained_main_tracks(clusters: sim.Clusters):
    m = (clusters.source == 0) & clusters.contained
    assert m.sum() > 30
    ratio = clusters.reco_energy[m] / clusters.true_energy[m]
    assert 0.9 < np.median(ratio) < 1.05
    assert np.percentile(np.abs(ratio - 1), 90) < 0.15


def test_the_energies_of_the_classes_overlap(clusters: sim.Clusters):
    """The physics leaves an overlap band: low main-track energies (or tracks leaving the image) against the
    upper end of the gamma and K-42 clusters; an energy cut cannot be perfect there."""
    reco, main = clusters.reco_energy, clusters.label == 1
    band = (reco >= 3) & (reco < 6)
    assert main[band].sum() > 20 and (~main[band]).sum() > 20
