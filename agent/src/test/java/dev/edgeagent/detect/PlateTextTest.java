package dev.edgeagent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.edgeagent.detect.PlateText.Verdict;
import dev.edgeagent.text.EditDistance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The registration rules on readings of the kinds the text detector finds on real roads. */
class PlateTextTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      // registrations: US, EU, UK, Brazil (old and Mercosul), all digits, personalised
      "8FV-480|PLATE", "4PCI264|PLATE", "520 MRK|PLATE", "KL3B8K|PLATE", "AB-123-CD|PLATE", "B MW 1234|PLATE",
      "LR33 TEE|PLATE", "KA05 MX 2391|PLATE", "ABC-1234|PLATE", "BRA2E19|PLATE", "918 5914|PLATE", "NEILDMND|PLATE", "4B0:4979|PLATE",
      // clocks and dates of a video overlay
      "2014-05-08 14:12:59|TIMESTAMP", "14:12:59|TIMESTAMP", "13:14|TIMESTAMP", "014-05-0|TIMESTAMP",
      "2014-05|TIMESTAMP", "08/05/2014|TIMESTAMP", "306:28:3|TIMESTAMP",
      // numbers that are not registrations: house numbers, phone numbers, prices
      "1234|NOT_PLATE", "647-0604|NOT_PLATE", "19.99|NOT_PLATE", "1-800-555-0199|NOT_PLATE",
      // lettering, badges, states, signs, phrases, mixed case
      "TOYOTA|NOT_PLATE", "SILVERADO|NOT_PLATE", "SIAVERRDO|NOT_PLATE", "CHEVRDLET|NOT_PLATE", "TEXAS|NOT_PLATE",
      "EXIT|NOT_PLATE", "EXIT ONLY|NOT_PLATE", "THIS AREA|NOT_PLATE", "Jeep|NOT_PLATE", "Camry LE|NOT_PLATE",
      "GetLostPodcastMedia.c|NOT_PLATE", "TAXATIONWITHOUTREPRESENTATION|NOT_PLATE",
      // fragments: an illegible plate reads as one to three characters
      "5|UNREADABLE", "SK|UNREADABLE", "F40|UNREADABLE"})
  void judgesReadings(String text, Verdict expected) {
    assertThat(PlateText.judge(text, 0.8, 0.5)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"196,0.97,NOT_PLATE", "58,0.95,NOT_PLATE", "196,0.7,UNREADABLE", "Z-D 2,0.97,UNREADABLE",
      "8FV480,0.97,PLATE"})
  void aShortNumberIsAHouseNumberWhenSureAndAFragmentOtherwise(String text, double confidence, Verdict expected) {
    assertThat(PlateText.judge(text, confidence, 0.5)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"8FV480,0.3", "'',0.99"})
  void lowConfidenceOrNothingIsUnreadable(String text, double confidence) {
    assertThat(PlateText.judge(text, confidence, 0.5)).isEqualTo(Verdict.UNREADABLE);
  }

  @ParameterizedTest
  @CsvSource({"TOYOTA,TOYOTA,0", "TOYOTA,TOYOTB,1", "TOYOTA,TOYOT,1", "TOYOTA,XTOYOTA,1", "SILVERADO,SIAVERRDO,2",
      "ABC,'',3"})
  void editDistance(String a, String b, int expected) {
    assertThat(EditDistance.between(a, b)).isEqualTo(expected);
    assertThat(EditDistance.between(b, a)).isEqualTo(expected);
  }
}
