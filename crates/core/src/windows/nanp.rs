//! Time zones of North American area codes (United States and Canada). Area codes that
//! straddle a zone boundary list every zone they reach, so a calling window must hold in
//! all of them. Other NANP members (the Caribbean, US territories) have their own region
//! and are in [`super::zones`]'s country table.
//!
//! The table is data: one line per zone set, area codes after the colon.

/// `zones: area codes` lines; zones are IANA names separated by commas.
const AREA_CODES: &str = "
America/New_York: 201 202 203 207 212 215 216 220 223 229 234 239 240 248 252 267 272 276 283 301 302 304 305 313 315 321 326 330 332 339 347 351 352 380 386 401 404 407 410 412 413 419 434 440 443 445 470 475 478 484 502 508 513 516 517 518 540 551 561 567 570 571 582 585 586 603 606 607 609 610 614 616 617 631 640 646 656 667 678 680 681 689 703 704 706 716 717 718 724 727 732 734 740 743 754 757 762 770 771 772 774 781 786 802 803 804 810 813 814 826 828 835 838 839 843 845 848 854 856 857 859 860 862 863 864 865 878 904 908 910 912 914 917 919 929 934 937 941 943 947 948 954 959 973 978 980 984 989 231 269 679
America/Indiana/Indianapolis: 260 317 463 765
America/Chicago: 205 210 214 217 218 219 224 225 228 251 254 256 262 274 281 309 312 314 316 318 319 320 325 327 331 334 337 346 361 402 405 409 414 417 430 432 447 464 469 479 501 504 507 512 515 531 534 539 557 563 572 573 601 608 612 615 618 629 630 636 641 651 659 660 662 682 708 712 713 715 726 730 731 737 763 769 773 779 806 815 816 817 830 832 847 861 870 872 901 903 918 920 931 936 938 940 945 952 956 972 975 979 985
America/Chicago,America/New_York: 270 364 423 448 850
America/Indiana/Indianapolis,America/Chicago: 574 812 930
America/Chicago,America/Denver: 308 605 620 701 785
America/Detroit,America/Menominee: 906
America/Denver: 303 307 385 406 435 505 575 719 720 801 915 970 983
America/Phoenix: 480 520 602 623
America/Phoenix,America/Denver: 928
America/Boise,America/Los_Angeles: 208 986
America/Los_Angeles,America/Boise: 458 541
America/Los_Angeles,America/Denver: 775
America/Los_Angeles: 206 209 213 253 279 310 323 341 350 360 408 415 424 425 442 503 509 510 530 559 562 564 619 626 628 650 657 661 669 702 707 714 725 747 760 805 818 820 831 840 858 909 916 925 949 951 971
America/Anchorage,America/Adak: 907
Pacific/Honolulu: 808
America/Vancouver: 604
America/Vancouver,America/Edmonton,America/Dawson_Creek,America/Creston: 236 250 672 778
America/Edmonton: 368 403 587 780 825
America/Regina,America/Edmonton: 306 474 639
America/Winnipeg: 204 431 584
America/Toronto: 226 249 263 289 343 354 365 382 416 437 438 450 468 514 519 548 579 613 647 683 705 742 753 819 873
America/Toronto,America/Winnipeg: 807
America/Toronto,America/Halifax,America/Blanc-Sablon: 367 418 581
America/Moncton: 506
America/Halifax: 782 902
America/St_Johns,America/Goose_Bay: 709 879
America/Whitehorse,America/Yellowknife,America/Edmonton,America/Winnipeg,America/Iqaluit: 867
";

/// Zones that cover the whole of the United States or Canada, for unknown area codes.
pub(super) const US_ALL: &str = "America/New_York,America/Chicago,America/Denver,America/Phoenix,America/Los_Angeles,America/Anchorage,Pacific/Honolulu";
/// Canada's zones, for unknown Canadian area codes.
pub(super) const CA_ALL: &str = "America/St_Johns,America/Halifax,America/Toronto,America/Winnipeg,America/Regina,America/Edmonton,America/Vancouver";

/// The IANA zone names of a US or Canadian area code, comma-separated.
pub(super) fn zones_of_area_code(area_code: u16) -> Option<&'static str> {
    let wanted = area_code.to_string();
    AREA_CODES.lines().find_map(|line| {
        let (zones, codes) = line.split_once(':')?;
        codes
            .split_whitespace()
            .any(|c| c == wanted)
            .then_some(zones.trim())
    })
}

/// How many lines list the area code (a data check for tests).
#[cfg(test)]
pub(super) fn count_listings(area_code: u16) -> usize {
    let wanted = area_code.to_string();
    AREA_CODES
        .lines()
        .filter(|line| {
            line.split_once(':')
                .is_some_and(|(_, codes)| codes.split_whitespace().any(|c| c == wanted))
        })
        .count()
}
