#!/usr/bin/env python3
"""Curates rules/typos.tsv, the common misspellings (错别字) of official text:
wrong -> right pairs from licensed confusion lists and from hand, each kept
only when matching its wrong form cannot flag correct text.

  python3 rules/curate/typos.py --jieba /usr/lib/python3/dist-packages/jieba/dict.txt \\
      --data /work/shared/data/lexicons --typos rules/typos.tsv \\
      [--review /tmp/typos_review.tsv] [--write] CORPUS...

CORPUS are clean texts (PRC laws, government work reports, policy documents,
People's Daily, Wikipedia, Tatoeba, checks/testdata/corpus/*); a file ending
in .tsv is read as ECSpell's n<TAB>wrong<TAB>correct and only its correct
column counts. Without --write the survivors are printed; with it the rows
not yet in --typos are appended to it with the next free ids (every row
already there is kept as it is). Counts per source and step go to stderr.

Sources (licences in /work/shared/data/SOURCES.md):
  macro-correct  yongzhuo/macro-correct @ abdf4068 confusion_dict.json (Apache-2.0)
  pycorrector    shibing624/pycorrector @ fc8aa56c tests/custom_confusion.txt (Apache-2.0)
  ecspell        aopolin-lv/ECSpell @ 025bf43f 常见错字错词.txt (MIT), correct form first
  hand           HAND below, from the classic lists of 常见错别字
A pair found in a licensed list and by hand is credited to the list.

Vetting, in order (a pair must pass every step):
 1 shape    equal length >= 2, one character differs (two only for HAND rows
            marked 2), every character in the 通用规范汉字表 (rules/pinyin.tsv:
            no traditional or rare forms), no 的/地/得, 在/再, 做/作 … swaps.
            Long phrases from the lists also give their core: the jieba word
            of the right form around the changed character (干凅 from
            北方大地依旧干凅), vetted like any pair.
 2 right    the right form occurs in the clean corpora or is a jieba word
            counted 50+ times (HAND phrases marked p: the jieba word around
            the change, 登录 of 登录平台).
 3 corpus   the wrong form occurs nowhere in the clean corpora (HAND rows: no
            occurrence outside their except contexts, but for the few that
            are misspellings in the corpus itself: ACCEPT).
 4 jieba    the wrong form is no jieba word, and every jieba word (count 3+)
            holding it is an except context; a word that is the same slip
            (玉米秸杆 for 玉米秸秆) needs none. List rows needing more than
            two such contexts (one for 2-character forms) are dropped. HAND
            rows marked ! keep a wrong form jieba itself lists (倍受: jieba
            counts some slips as words); the jieba words holding a HAND
            form were looked at (倍受青睐, 团结拼博: the slip again) and
            only the contexts written in HAND are used.
 5 short    2-character wrong forms: the changed characters sound alike
            (rules/pinyin.tsv, tones ignored) or are a look-alike pair
            (rules/lookalike.tsv), the wrong character is common (50+ times
            in the corpora), the right form occurs 5+ times in the corpora
            (a word official text uses), and, for list pairs, the hand look
            for word boundaries kept it (KEEP2).
 6 variant  not an accepted variant (异形词, 第一批异形词整理表: VARIANTS,
            and every ecspell pair), nor a known variant character swap
            (帐/账 …).
Then: DROP (longer pairs looked over by hand: learner slips, a correct
reading, variants, proper names, serious errors), duplicates, forms already
covered by an existing row or a shorter new one, and forms overlapping a
term of serious.tsv, obsolete.tsv, laws.tsv or sensitive.tsv.
"""
import argparse, collections, json, os, re, sys

# ---------------------------------------------------------------------------
# Hand-written pairs: wrong right [except contexts, |-separated] [flags]
# flags: ! jieba lists the wrong form itself (it is the slip); 2 two
# characters differ; p a phrase (step 2 looks at the changed word). Errors
# from the classic 常见错别字 lists and from published inspection notices.
HAND = """
负贵 负责 胜负贵|抱负贵
秸杆 秸秆 - !
倍受 备受 加倍受|成倍受|翻倍受|数倍受|几倍受|多倍受|一倍受|两倍受|三倍受|四倍受|五倍受|六倍受|七倍受|八倍受|九倍受|十倍受|百倍受|千倍受|万倍受 !
一但 一旦 统一但|之一但|唯一但|单一但|同一但|第一但|专一但|万一但|划一但|归一但|合一但|如一但|不一但|逐一但|均一但|一一但|其一但|初一但|高一但|大一但|周一但|星期一但|十一但
复盖 覆盖 复盖章|复盖印|复盖公章|反复盖|重复盖|恢复盖|修复盖|往复盖 !
清况 情况
拔款 拨款 挺拔款
管理条列 管理条例 - p
公开条列 公开条例 - p
保护条列 保护条例 - p
实施条列 实施条例 - p
工作条列 工作条例 - p
处分条列 处分条例 - p
监督条列 监督条例 - p
安全条列 安全条例 - p
条列》 条例》 - p
年贷 年代 年贷款|年贷出|年贷放|年贷给|年贷记|年贷余
警钟常鸣 警钟长鸣
登陆系统 登录系统 - p
登陆平台 登录平台 - p
登陆网站 登录网站 - p
登陆账号 登录账号 - p
登陆账户 登录账户 - p
登陆密码 登录密码 - !p
登陆页面 登录页面 - p
登陆界面 登录界面 - p
登陆邮箱 登录邮箱 - p
登陆后台 登录后台 - p
登陆官网 登录官网 - p
登陆网址 登录网址 - p
登陆用户名 登录用户名 - p
登陆客户端 登录客户端 - p
登陆入口 登录入口 - p
登陆验证 登录验证 - p
关健 关键 关健康|关健身|关健全|关健美|关健儿|关健步|关健壮|关健将|关健谈|关健硕|关健朗|关健行|关健体|关健雄|关健脑 !
震憾 震撼 - !
遗撼 遗憾
缺撼 缺憾
憾动 撼动 遗憾动|缺憾动|抱憾动 !
发辉 发挥 焕发辉|散发辉|迸发辉|勃发辉
挥煌 辉煌
指辉 指挥
交相挥映 交相辉映
蓬壁生辉 蓬荜生辉
防讯 防汛 消防讯 !
资迅 资讯
喜迅 喜讯
辩别 辨别
辩认 辨认 - !
辨论 辩论 - !
辨护 辩护
答辨 答辩
申辨 申辩
分辩率 分辨率 - !
明辩是非 明辨是非
辩析 辨析
急燥 急躁
干躁 干燥
浮燥 浮躁 - !
暴燥 暴躁 - !
烦燥 烦躁 - !
枯躁 枯燥
脉博 脉搏
拼博 拼搏 - !
博斗 搏斗 赌博斗|龙博斗 !
赌搏 赌博
渊搏 渊博
辐度 幅度
篇辐 篇幅
颠复 颠覆 - !
复灭 覆灭
竟技 竞技 究竟技
竟相 竞相 究竟相
究竞 究竟
毕竞 毕竟
竞然 竟然
既便 即便 既便于|既便利|既便捷|既便民|既便宜
讫今 迄今
消售 销售 取消售|撤消售
吊消 吊销
防犯 防范 防犯罪|防犯错|防犯法|防犯规
陪偿 赔偿
补尝 补偿
尝还 偿还
偿试 尝试 补偿试|赔偿试|偿试点|偿试行|偿试验|偿试用
报筹 报酬 报筹备|报筹建|报筹划|报筹集|报筹措|报筹资|报筹款
暑名 署名
签暑 签署
防署降温 防暑降温
署光 曙光
威协 威胁 威协会|威协调|威协商|威协作|威协同|威协议|威协助|威协管|威协定|威协力|威协办 !
陪养 培养
陪训 培训
陪育 培育
栽陪 栽培
必竟 毕竟 - !
精僻 精辟
开僻 开辟
劈谣 辟谣
彻离 撤离
彻退 撤退
彻回 撤回
彻换 撤换
撤夜 彻夜
制肘 掣肘
治炼 冶炼 治炼油|治炼钢|治炼化|治炼铁
陶治 陶冶
政冶 政治 政冶炼|政冶金
整冶 整治 整冶炼|整冶金
防冶 防治 防冶炼|防冶金
冶安 治安
自冶区 自治区
住扎 驻扎 住扎实|住扎根|住扎牢|住扎紧|住扎堆
含盖 涵盖
弛名 驰名
驰聘 驰骋
弛骋 驰骋
骋请 聘请
招骋 招聘
应骋 应聘
骋用 聘用
欣尉 欣慰
尉为壮观 蔚为壮观
粗燥 粗糙
嘱附 嘱咐
叮瞩 叮嘱
遗瞩 遗嘱
医瞩 医嘱
付件 附件 交付件|支付件|托付件|应付件|寄付件|偿付件
嘱拖 嘱托
委拖 委托 委拖延|委拖欠|委拖拉|委拖着
推祟 推崇
祟高 崇高 - !
作崇 作祟 作崇尚|作崇高|作崇拜|作崇敬 !
尊照 遵照
尊纪守法 遵纪守法
格尽职守 恪尽职守
遣责 谴责
派谴 派遣
憧景 憧憬
声喻 声誉
比誉 比喻
响往 向往 响往往|响往往|响往来|响往返|响往年|响往后|响往常|响往日
含辛如苦 含辛茹苦
沥清 沥青
淋漓尽至 淋漓尽致
摇蓝 摇篮
峡窄 狭窄
海狭 海峡
编缉 编辑 - !
辑毒 缉毒
通辑 通缉 - !
辑拿 缉拿
逻缉 逻辑
专缉 专辑
剪缉 剪辑
辑私 缉私
殷情 殷勤 - !
清淅 清晰
清析 清晰
分晰 分析
剖晰 剖析
脏款 赃款
贪脏枉法 贪赃枉法 - !
栽脏 栽赃
肮赃 肮脏
竞竞业业 兢兢业业 - 2
战战竞竞 战战兢兢 - 2
事绩 事迹 事绩效
奇绩 奇迹
积畜 积蓄
蓄牧 畜牧 - !
牲蓄 牲畜
储畜 储蓄
种殖 种植
持之以衡 持之以恒
浪废 浪费
肺腹之言 肺腑之言
折迁 拆迁
百折不饶 百折不挠
不屈不饶 不屈不挠
阻饶 阻挠
阻绕 阻挠
环饶 环绕
围饶 围绕
搔扰 骚扰 - !
优虑 忧虑
后顾之优 后顾之忧
忧心冲冲 忧心忡忡 - 2
恩慧 恩惠
互慧 互惠
实慧 实惠
提唱 提倡
猖蹶 猖獗
猖厥 猖獗
一撅不振 一蹶不振
一厥不振 一蹶不振
坍蹋 坍塌
倒蹋 倒塌
践蹋 践踏
斑澜 斑斓
力挽狂斓 力挽狂澜
阻栏 阻拦
栏截 拦截
萎糜 萎靡
风糜 风靡
傲漫 傲慢
简漏 简陋
神密 神秘 精神密 !
决窍 诀窍 - !
缈小 渺小
旁晚 傍晚
妄自非薄 妄自菲薄
非夷所思 匪夷所思
受益非浅 受益匪浅
获益非浅 获益匪浅
千丝万屡 千丝万缕
条分屡析 条分缕析
污陷 诬陷 - !
渐愧 惭愧
愧咎 愧疚
内咎 内疚
归疚 归咎
引疚辞职 引咎辞职
疚由自取 咎由自取
义不容词 义不容辞
演译 演绎 - !
络译不绝 络绎不绝
翻绎 翻译
藉贯 籍贯
户藉 户籍
书藉 书籍
国藉 国籍
学藉 学籍
党藉 党籍
慰籍 慰藉
古藉 古籍
典藉 典籍 - !
徘回 徘徊
斡璇 斡旋
庄嫁 庄稼 - !
家俱 家具 家俱乐 !
具乐部 俱乐部
与时具进 与时俱进
两败具伤 两败俱伤 - !
面面具到 面面俱到
一应具全 一应俱全
声泪具下 声泪俱下
问券 问卷
债卷 债券
奖卷 奖券
稳操胜卷 稳操胜券
消费卷 消费券
代金卷 代金券
悔人不倦 诲人不倦
教悔 教诲
桀傲不驯 桀骜不驯
遨翔 翱翔
资询 咨询 资询价|资询问 !
姿意 恣意
茅赛顿开 茅塞顿开
杯水车新 杯水车薪
新酬 薪酬 新酬劳|新酬金|新酬谢
卧薪偿胆 卧薪尝胆
如愿已偿 如愿以偿
长态化 常态化
肆无忌弹 肆无忌惮
虎视耽耽 虎视眈眈 - 2!
湎怀 缅怀
恐赫 恐吓 - !
面面相嘘 面面相觑
虚寒问暖 嘘寒问暖
必须品 必需品 - !
拭目已待 拭目以待
试目以待 拭目以待
斧底抽薪 釜底抽薪
侯补 候补
诸候 诸侯 - !
伺侯 伺候
侯鸟 候鸟 - !
火侯 火候
光茫 光芒
禄禄无为 碌碌无为 - 2
奉禄 俸禄
杀戳 杀戮
戮穿 戳穿
荒缪 荒谬
未雨绸谬 未雨绸缪
饶幸 侥幸
婉惜 惋惜 - !
诞晨 诞辰
寿晨 寿辰
垂诞 垂涎
振撼 震撼
震臂高呼 振臂高呼
震聋发聩 振聋发聩
感概 感慨
一慨而论 一概而论
慨括 概括
灌概 灌溉
欢渡 欢度 - !
渡日如年 度日如年
病入膏盲 病入膏肓
不落巢臼 不落窠臼
草管人命 草菅人命
察颜观色 察言观色 - !
陈词烂调 陈词滥调
成绩菲然 成绩斐然
出其制胜 出奇制胜
出奇致胜 出奇制胜 - !
大声急呼 大声疾呼
带罪立功 戴罪立功 - !
当人不让 当仁不让
独挡一面 独当一面
对薄公堂 对簿公堂
飞扬拔扈 飞扬跋扈
丰功伟积 丰功伟绩
负偶顽抗 负隅顽抗
根深底固 根深蒂固
好高鹜远 好高骛远 - !
和霭 和蔼
精兵减政 精兵简政
娇揉造作 矫揉造作
鞠躬尽粹 鞠躬尽瘁
举步为艰 举步维艰 - !
开城布公 开诚布公
苦心孤旨 苦心孤诣
两全齐美 两全其美
廖廖无几 寥寥无几 - 2
鳞次节比 鳞次栉比 - !
迷天大谎 弥天大谎
气势凶凶 气势汹汹 - 2
黔驴计穷 黔驴技穷
契而不舍 锲而不舍
轻歌慢舞 轻歌曼舞
磬竹难书 罄竹难书
全力以付 全力以赴
如火如茶 如火如荼
如法泡制 如法炮制
省吃简用 省吃俭用
盛气临人 盛气凌人 - !
首曲一指 首屈一指
所向披糜 所向披靡
通霄达旦 通宵达旦 - !
同仇敌慨 同仇敌忾 - !
完壁归赵 完璧归赵
委屈求全 委曲求全 - !
无机之谈 无稽之谈
相得益章 相得益彰
消声匿迹 销声匿迹 - !
兴高彩烈 兴高采烈 - !
掩旗息鼓 偃旗息鼓
以逸代劳 以逸待劳
异曲同功 异曲同工
因地治宜 因地制宜
饮鸠止渴 饮鸩止渴
展露头角 崭露头角 - !
置若惘闻 置若罔闻
珠联壁合 珠联璧合
别出新裁 别出心裁 - !
沧海一栗 沧海一粟
大相经庭 大相径庭
惮精竭虑 殚精竭虑
风弛电掣 风驰电掣
既往开来 继往开来
金壁辉煌 金碧辉煌 - !
满腹经论 满腹经纶
明火执杖 明火执仗
弄巧成绌 弄巧成拙
全神灌注 全神贯注
如雷灌耳 如雷贯耳
拾人牙惠 拾人牙慧
推心至腹 推心置腹
为虎作怅 为虎作伥
相儒以沫 相濡以沫
心弛神往 心驰神往
言不由忠 言不由衷
以警效尤 以儆效尤
责无旁代 责无旁贷
坐收鱼利 坐收渔利
集思广议 集思广益 - !
久付盛名 久负盛名
举世嘱目 举世瞩目
聚睛会神 聚精会神
老奸巨滑 老奸巨猾
良秀不齐 良莠不齐
潜移墨化 潜移默化
情不自尽 情不自禁
三令五伸 三令五申
明查秋毫 明察秋毫
不可思义 不可思议
不卑不吭 不卑不亢
曾出不穷 层出不穷
错手不及 措手不及
顶礼摩拜 顶礼膜拜
分道扬镖 分道扬镳 - !
粉末登场 粉墨登场
风声鹤泪 风声鹤唳
纲举目章 纲举目张
高屋建翎 高屋建瓴
孤漏寡闻 孤陋寡闻
光明磊洛 光明磊落
鬼斧神功 鬼斧神工
过尤不及 过犹不及
海市辰楼 海市蜃楼
合盘托出 和盘托出 - !
勿囵吞枣 囫囵吞枣
花团锦族 花团锦簇
黄梁一梦 黄粱一梦
混然一体 浑然一体
火中取粟 火中取栗
积重难反 积重难返
挤挤一堂 济济一堂 - 2
坚持不泄 坚持不懈
坚持不谢 坚持不懈
矫枉过证 矫枉过正
接种而至 接踵而至
竭泽而鱼 竭泽而渔
举一返三 举一反三
口干舌躁 口干舌燥
狼狈为歼 狼狈为奸
乐此不彼 乐此不疲 - !
雷励风行 雷厉风行
立杆见影 立竿见影
廖若晨星 寥若晨星
琳郎满目 琳琅满目
伶牙利齿 伶牙俐齿
流连忘反 流连忘返 - !
炉火纯清 炉火纯青
满目疮夷 满目疮痍
毛骨耸然 毛骨悚然 - !
门厅若市 门庭若市
莫忠一是 莫衷一是
目不转精 目不转睛
南辕北辄 南辕北辙
千均一发 千钧一发
气冲宵汉 气冲霄汉
日新月易 日新月异
如释重付 如释重负
如坐针沾 如坐针毡
三顾茅芦 三顾茅庐 - !
色厉内茬 色厉内荏
珊珊来迟 姗姗来迟 - 2
善罢干休 善罢甘休 - !
少安毋燥 少安毋躁
神采弈弈 神采奕奕 - 2
生灵荼炭 生灵涂炭
失之交背 失之交臂
拾金不味 拾金不昧
始做俑者 始作俑者
死有余孤 死有余辜
叹为观只 叹为观止
同舟共挤 同舟共济
偷工简料 偷工减料
无可耐何 无可奈何
无微不致 无微不至
物极必返 物极必反
暇不掩瑜 瑕不掩瑜
闲情逸志 闲情逸致
小心冀冀 小心翼翼 - 2
心有余季 心有余悸
信手粘来 信手拈来
宣宾夺主 喧宾夺主
削足适屡 削足适履
学以至用 学以致用
淹淹一息 奄奄一息 - 2!
一触既发 一触即发
一气喝成 一气呵成
一望无迹 一望无际
因咽废食 因噎废食
英雄倍出 英雄辈出
有目共堵 有目共睹
欲盖迷彰 欲盖弥彰
跃跃欲式 跃跃欲试
众说纷云 众说纷纭
左右逢圆 左右逢源
"""

# Accepted variants (异形词): the 第一批异形词整理表 (2001) and a few more
# pairs that dictionaries give as variants; preferred first. A pair whose
# right and wrong forms line up with one of these is a variant, not a slip.
VARIANTS = """
按捺 按纳|按语 案语|百废俱兴 百废具兴|百叶窗 百页窗|斑白 班白|斑驳 班驳|孢子 胞子|保镖 保镳|保姆 保母|
辈分 辈份|本分 本份|笔画 笔划|毕恭毕敬 必恭必敬|编者按 编者案|扁豆 萹豆|标志 标识|鬓角 鬓脚|秉承 禀承|
补丁 补钉|参与 参预|惨淡 惨澹|差池 差迟|掺和 搀和|掺假 搀假|掺杂 搀杂|铲除 刬除|徜徉 倘佯|车厢 车箱|
彻底 澈底|沉思 沈思|称心 趁心|成分 成份|澄澈 澄彻|侈靡 侈糜|筹划 筹画|筹码 筹马|踌躇 踌蹰|出谋划策 出谋画策|
喘吁吁 喘嘘嘘|瓷器 磁器|赐予 赐与|粗鲁 粗卤|搭档 搭当|搭档 搭挡|搭讪 答讪|答复 答覆|戴孝 带孝|担心 耽心|
担忧 耽忧|耽搁 担搁|淡泊 澹泊|淡然 澹然|倒霉 倒楣|低回 低徊|凋敝 雕敝|凋零 雕零|凋落 雕落|凋谢 雕谢|
跌宕 跌荡|跌跤 跌交|喋血 蹀血|叮咛 丁宁|订单 定单|订户 定户|订婚 定婚|订货 定货|订阅 定阅|逗留 逗遛|
独角戏 独脚戏|端午 端五|二黄 二簧|二心 贰心|发人深省 发人深醒|繁衍 蕃衍|吩咐 分付|分量 份量|分内 份内|
分外 份外|分子 份子|愤愤 忿忿|丰富多彩 丰富多采|风瘫 疯瘫|疯癫 疯颠|锋芒 锋铓|服侍 伏侍|服输 伏输|服罪 伏罪|
负隅顽抗 负嵎顽抗|附会 傅会|复信 覆信|覆辙 复辙|干预 干与|告诫 告戒|耿直 梗直|耿直 鲠直|恭维 恭惟|勾画 勾划|
勾连 勾联|孤苦伶仃 孤苦零丁|辜负 孤负|古董 骨董|股份 股分|骨瘦如柴 骨瘦如豺|关联 关连|光彩 光采|归根结底 归根结柢|
诡谲 鬼谲|过分 过份|蛤蟆 虾蟆|含糊 含胡|含蓄 涵蓄|寒碜 寒伧|喝彩 喝采|喝倒彩 喝倒采|轰动 哄动|弘扬 宏扬|
红彤彤 红通通|宏论 弘论|宏图 弘图|宏图 鸿图|宏愿 弘愿|宏旨 弘旨|洪福 鸿福|狐臭 胡臭|蝴蝶 胡蝶|糊涂 胡涂|
琥珀 虎魄|花招 花着|划拳 豁拳|恍惚 恍忽|辉映 晖映|浑水摸鱼 混水摸鱼|伙伴 火伴|机灵 机伶|激愤 激忿|计划 计画|
纪念 记念|寄予 寄与|夹克 茄克|嘉宾 佳宾|驾驭 驾御|架势 架式|嫁妆 嫁装|简练 简炼|骄奢淫逸 骄奢淫佚|角门 脚门|
狡猾 狡滑|脚跟 脚根|叫花子 叫化子|精彩 精采|纠合 鸠合|纠集 鸠集|就座 就坐|角色 脚色|克期 刻期|克日 刻日|
刻画 刻划|阔佬 阔老|褴褛 蓝缕|烂漫 烂熳|烂漫 烂缦|狼藉 狼籍|榔头 狼头|累赘 累坠|黧黑 藜黑|连贯 联贯|
连接 联接|连绵 联绵|连缀 联缀|联结 连结|联袂 连袂|联翩 连翩|踉跄 踉蹡|嘹亮 嘹喨|缭乱 撩乱|伶仃 零丁|
囹圄 囹圉|溜达 蹓跶|流连 留连|喽啰 喽罗|鲁莽 卤莽|录像 录象|录像 录相|络腮胡子 落腮胡子|落寞 落漠|落寞 落莫|
麻痹 痲痹|马蜂 蚂蜂|马虎 马糊|门槛 门坎|靡费 糜费|绵连 绵联|腼腆 靦觍|模仿 摹仿|模糊 模胡|模拟 摹拟|
摹写 模写|摩擦 磨擦|摩拳擦掌 磨拳擦掌|磨难 魔难|脉脉 眽眽|谋划 谋画|那么 那末|内讧 内哄|凝练 凝炼|牛仔裤 牛崽裤|
纽扣 钮扣|扒手 掱手|盘根错节 蟠根错节|盘踞 盘据|盘踞 蟠踞|盘曲 蟠曲|磐石 盘石|蹒跚 盘跚|彷徨 旁皇|披星戴月 披星带月|
疲沓 疲塌|漂泊 飘泊|漂流 飘流|飘零 漂零|飘摇 飘飖|凭空 平空|牵连 牵联|憔悴 蕉萃|清澈 清彻|情愫 情素|
拳拳 惓惓|劝诫 劝戒|热乎乎 热呼呼|热乎 热呼|热衷 热中|人才 人材|日食 日蚀|入座 入坐|色彩 色采|杀一儆百 杀一警百|
鲨鱼 沙鱼|山楂 山查|舢板 舢舨|艄公 梢公|奢靡 奢糜|申雪 伸雪|神采 神彩|湿漉漉 湿渌渌|什锦 十锦|收服 收伏|
首席 首座|书简 书柬|双簧 双锁|思维 思惟|死心塌地 死心踏地|踏实 塌实|铤而走险 挺而走险|透彻 透澈|图像 图象|
推诿 推委|玩意儿 玩艺儿|诿过 委过|乌七八糟 污七八糟|无动于衷 无动于中|毋宁 无宁|毋庸 无庸|五彩缤纷 五采缤纷|
五劳七伤 五痨七伤|息肉 瘜肉|稀罕 希罕|稀奇 希奇|稀少 希少|稀世 希世|稀有 希有|翕动 噏动|洗练 洗炼|
贤惠 贤慧|香醇 香纯|香菇 香菰|相貌 像貌|潇洒 萧洒|小题大做 小题大作|信口开河 信口开合|惺忪 惺松|秀外慧中 秀外惠中|
序文 叙文|序言 叙言|训诫 训戒|压服 压伏|押韵 压韵|鸦片 雅片|扬琴 洋琴|要么 要末|夜宵 夜消|一锤定音 一槌定音|
一股脑儿 一古脑儿|衣襟 衣衿|衣着 衣著|义无反顾 义无返顾|淫雨 霪雨|盈余 赢余|影像 影象|余晖 余辉|渔具 鱼具|
渔网 鱼网|与会 预会|与闻 预闻|驭手 御手|预备 豫备|原来 元来|原煤 元煤|原原本本 源源本本|原原本本 元元本本|缘故 原故|
缘由 原由|月食 月蚀|月牙 月芽|芸豆 云豆|杂沓 杂遝|再接再厉 再接再砺|崭新 斩新|辗转 展转|战栗 颤栗|账本 帐本|
折中 折衷|这么 这末|正经八百 正经八摆|芝麻 脂麻|肢解 支解|肢解 枝解|直截了当 直捷了当|直截了当 直接了当|
指手画脚 指手划脚|周济 赒济|转悠 转游|装潢 装璜|孜孜 孳孳|姿势 姿式|仔细 子细|自个儿 自各儿|佐证 左证|
账号 帐号|账户 帐户|账目 帐目|账单 帐单|名副其实 名符其实|故步自封 固步自封|莫名其妙 莫明其妙|漫山遍野 满山遍野|
恼羞成怒 老羞成怒|亟须 亟需|措辞 措词|含义 涵义|蕴含 蕴涵|包含 包涵|致辞 致词|言辞 言词|取消 取销|
撤销 撤消|抵消 抵销|部分 部份|身份 身分|年份 年分|省份 省分|惟一 唯一|唯一 惟一|思维 思唯|暗度陈仓 暗渡陈仓|
宏大 弘大|漫骂 谩骂|蔓延 漫延|迷漫 弥漫|委婉 委宛|张皇失措 张惶失措|流言蜚语 流言飞语|百废俱兴 百废具兴|
对症下药 对证下药|贪得无厌 贪得无餍|钩心斗角 勾心斗角|嫉恶如仇 疾恶如仇|一劳永逸 一劳永佚|拖沓 拖踏|
"""

# Character swaps that are usually variant or old forms, or grammar (的地得,
# 在再, 做作 …) rather than spelling: a list pair changing one of these is
# not taken (HAND rows are judged one by one).
SWAPS = ('帐账 象像 份分 采彩 划画 连联 订定 坐座 与予 希稀 澈彻 藉借 溜遛 飘漂 惟唯 胡糊 摹模 磨摩 '
         '荡宕 伏服 佚逸 戒诫 着著 叙序 原元 蚀食 嘘吁 沉沈 咨谘 扎札 蹓溜 凋雕 哄轰 宏弘 鸿宏 洪鸿 '
         '的地 的得 地得 在再 做作 他她 他它 她它 那哪 呢哩 吗嘛 啊呀 么末 了啦 已以 己已 己巳 儿而 '
         '即及 和合 到倒 到道 得的 像向 须需 制治 定订 坐做 做座 份份 利力 权力 反返 付副 附付')
SWAP = {frozenset(p) for p in SWAPS.split() if len(set(p)) == 2}

# Looked over by hand. Two-character pairs from the lists are kept only
# when named here: the slip is real in official text, the wrong form has no
# reading across a word boundary we could think of, and it is no name or
# variant (dropped, for example: 分脏 in 部分脏器, 点视 in 重点视察, 末能 in
# 周末能否, 延着 in 蔓延着, 认何 in 确认何时, 船泊 as 船泊于港内, 智道 and
# 凤格 as names, learner slips of everyday words such as 怎门, 西欢).
KEEP2 = set("""
爆乱 疏峻 堵绝 坚辛 枉想 仲栽 圆林 涌跃 作歇 普边 莫些 庄况 桃论 提昌 厌力 泄秘 扶贪 堵注 估息 偏坦
谎谬 受予 振惊 壮严 避署 斗欧 克守 偷机 胡芦 篷勃 犹予 剩略 普灭 脸夹 惯穿 便谊 鲜烈 尚末 峰窝 活拨
拔付 攻尖 泛烂 架驶 侵站 激列 担挡 自冶 暖汽 兼故 扑鱼 眼晴 独俱 步阀 流璃 抱扎 博揽 串插 麻诊 泥士
体捡 巨烈 号招 诊惜 普写 稀蔬 困绕 副度 追脏 饭莱 毕景 甘胆 疏纽 搅伴 辽养 午蹈 扑捉 塑源 泥宁 不段
竞是 木碳 赖依 浓宿 溯缘 干静 宁檬 摸式 辛福 遵重 篮图 桃化 证剧 唤发 占剧 史策 背判 绵花 画妆 裸漏
侧试 斜恶 篮色 树杆 斗坡 弱式 鞭爆 划翔 磨鬼 抚贫 几呼 丰貌 凤俗 扑素 连惯 咨格 贮立 遮档 菏花
闲瑕 顷覆 讲诉 师付 忧美 优久 刚筋 危胁 频烦 凤暴 交插 政符 邀情 流守 幸苦 台弯
""".split())

# Longer pairs dropped in the hand look, by reason.
DROP_BY_REASON = {
    'learner slip of everyday speech, no use in official text':
        '受打去 每办法 装造性 唷意思 又意思 怒朋友 奴朋友 不输服 觉得贰 不局道 不智道 你好马 岑么样 火者站 怎门办 '
        '塞太阳 吃葚么 日本蔡 大们口 好朋有 交相机 请办我 好亿思 里拜四 一支狗 气个月 吃部下 睡过偷 等以等 必较多 '
        '一扁吃 馔衣服 看般球 老鸪窝 经准性 切不说 马垃松 断时间 老入们 在橱房 鞭炮生 古胴色 莱园子 笫二句 毛草房 '
        '帖标语 很力害 猎八戒 俩口子 想当当 还不过 大的家 恨高兴 沾起来 对不气 可以马 他的华 台湾采 交到了 奇给我 '
        '来不起 没有控 考食物 里拜天 忆起去 一个分知 主在乡下 教育基精 我想情你 又高又受 不好亿思 穿着托鞋 率止优雅 '
        '这快石头 有没有控 里学校很近 遇到什么因难 拔错了号码 解我的朋友 为工家兵服务 工家兵 驾不住 递近式 查不多 贱淫妇女 '
        '迷迭方向 约来越 月来越 怎么杨 恋爰了',
    'a reading across a word boundary or a correct use exists':
        '付其责 五分种 价值关 来得急 销费率 所以问题 父老相亲 溶为一体 长条型 设睹场 广州省',
    'variant form, old or traditional character':
        '十分锺 七点锺 三十分锺 祕书长 为什幺 为什麽 庐沟桥 拜占廷',
    'proper name (person, place, work, event) or transliteration':
        '文天样 梁思城 慈喜太 美立坚 张广财岭 那布勒斯 斯特哥尔摩 辽宁省开源市 '
        '龙画栋 板油路 观察手 通巩员',
    'a serious error (serious.tsv, protected terms) rather than a typo':
        '共产常 中国共产常 中华人名共和国 人名共和国',
}
DROP = {w: why for why, ws in DROP_BY_REASON.items() for w in ws.split()}

# Corpus occurrences of a HAND wrong form that are themselves misspellings
# (looked at one by one): wrong -> how many.
ACCEPT = {
    '负贵': 1,  # gov_policy_docs: 按照属地管理原则，负贵制定本地区…
    '秸杆': 5,  # laws: 焚烧秸杆 (five local regulations)
    '倍受': 1,  # cmrc2018 Wikipedia: 而倍受瞩目
    '震憾': 1,  # cmrc2018 Wikipedia: 自由创作的震憾
    '慰籍': 1,  # laws: 精神慰籍等日托服务
}

# Extra except contexts for list pairs, found in the hand look.
EXTRA_EXCEPT = {
    '受予': ['受予以'],
    '自冶': ['自冶炼', '自冶金'],
    '独俱': ['独俱乐'],
    '来不急': ['慢慢来不急'],
}

HAN = re.compile(r'^[\u4e00-\u9fff]+$')
TONES = str.maketrans('āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ', 'aaaaeeeeiiiioooouuuuüüüünnnm')


def load_pairs(data):
    """(source, wrong, right) from the three lists."""
    out = []
    d = json.load(open(os.path.join(data, 'macro_correct_confusion_dict_wrong-right.json'), encoding='utf-8'))
    out += [('macro-correct', w.strip(), r.strip()) for w, r in d.items()]
    for line in open(os.path.join(data, 'pycorrector_custom_confusion_wrong-right.tsv'), encoding='utf-8'):
        f = line.split()
        if line.startswith('#') or len(f) < 2:
            continue
        out.append(('pycorrector', f[0], f[1]))
    for line in open(os.path.join(data, 'ecspell_common_typos_correct-wrong.txt'), encoding='utf-8'):
        f = line.strip().split('-')
        if len(f) == 2:
            out.append(('ecspell', f[1], f[0]))
    return out


def load_hand():
    out = []
    for line in HAND.strip().splitlines():
        f = line.split()
        w, r = f[0], f[1]
        exc = [] if len(f) < 3 or f[2] == '-' else f[2].split('|')
        flags = f[3] if len(f) > 3 else ''
        out.append((w, r, exc, flags))
    return out


def load_variants():
    v = set()
    for item in VARIANTS.replace('\n', '').split('|'):
        f = item.split()
        if len(f) == 2:
            v.add((f[0], f[1]))
    return v


def diffs(w, r):
    return [i for i, (a, b) in enumerate(zip(w, r)) if a != b]


def read_corpora(paths):
    for p in paths:
        with open(p, encoding='utf-8') as fh:
            for line in fh:
                if p.endswith('.tsv'):
                    f = line.rstrip('\n').split('\t')
                    if len(f) != 3:
                        continue
                    line = f[2]
                yield line


SENT_END = '。！？；\n'


def covered(line, start, w, excepts):
    """Whether an except context covers w at start (as checks.excepted)."""
    end = start + len(w)
    for e in excepts:
        if e.startswith('…'):
            rest = line[end:]
            cut = min([rest.find(c) for c in SENT_END if c in rest] or [len(rest)])
            if e[1:] in rest[:cut]:
                return True
            continue
        lo = max(start - len(e) + len(w), 0)
        for i in range(lo, start + 1):
            if line[i:i + len(e)] == e and i + len(e) >= end:
                return True
    return False


def scan(paths, forms, excepts):
    """Occurrences of forms in the corpora: raw, outside except contexts,
    a few uncovered samples; and every Han character's count."""
    by2 = collections.defaultdict(list)
    for f in forms:
        by2[f[:2]].append(f)
    raw, bare = collections.Counter(), collections.Counter()
    samples = collections.defaultdict(list)
    chars = collections.Counter()
    for line in read_corpora(paths):
        chars.update(line)
        for i in range(len(line) - 1):
            cands = by2.get(line[i:i + 2])
            if not cands:
                continue
            for f in cands:
                if line.startswith(f, i):
                    raw[f] += 1
                    if not covered(line, i, f, excepts.get(f, ())):
                        bare[f] += 1
                        if len(samples[f]) < 3:
                            samples[f].append(line[max(0, i - 12):i + len(f) + 12].strip())
    return raw, bare, samples, chars


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--jieba', required=True)
    ap.add_argument('--data', required=True, help='folder of the three lexicons')
    ap.add_argument('--typos', required=True, help='rules/typos.tsv (existing rows are kept)')
    ap.add_argument('--review', help='write every candidate with its figures here')
    ap.add_argument('--write', action='store_true', help='append the survivors to --typos')
    ap.add_argument('corpus', nargs='+')
    a = ap.parse_args()
    rules_dir = os.path.dirname(os.path.abspath(a.typos))

    jieba, jpos = {}, {}
    for line in open(a.jieba, encoding='utf-8'):
        f = line.split()
        if len(f) >= 2:
            jieba[f[0]] = int(f[1])
            jpos[f[0]] = f[2] if len(f) > 2 else ''
    readings = {}
    for line in open(os.path.join(rules_dir, 'pinyin.tsv'), encoding='utf-8'):
        if line.startswith('#'):
            continue
        f = line.rstrip('\n').split('\t')
        if len(f) == 2:
            readings[f[0]] = {re.sub(r'[^a-züv]', '', s.translate(TONES)) for s in f[1].split()}
    lookalike = set()
    for line in open(os.path.join(rules_dir, 'lookalike.tsv'), encoding='utf-8'):
        f = line.rstrip('\n').split('\t')
        if not line.startswith('#') and len(f) >= 2:
            lookalike.add(frozenset(f[:2]))
    existing, existing_terms = [], set()
    for line in open(a.typos, encoding='utf-8'):
        if line.startswith('#') or not line.strip():
            continue
        f = line.rstrip('\n').split('\t')
        existing.append(f)
        existing_terms.update(f[1].split('|'))
    variants = load_variants()

    # Candidates: (source, wrong, right, excepts, flags, derived_from).
    # HAND first: its except contexts and flags win over a list's copy.
    pairs = load_pairs(a.data)
    listed = {}
    for src, w, r in pairs:
        listed.setdefault((w, r), src)
        if src == 'ecspell':
            variants.add((r, w))
    cands = [[listed.get((w, r), 'hand'), w, r, exc, flags + 'H', ''] for w, r, exc, flags in load_hand()]
    cands += [[src, w, r, [], '', ''] for src, w, r in pairs]

    steps = ['listed', '1 shape', '2 right', '3 corpus', '4 jieba', '5 short', '6 variant', 'hand look', 'new']
    origins = collections.defaultdict(set)  # (wrong, right) -> the lists (or hand) giving it
    stage = {}  # (wrong, right) -> steps passed
    listed_n = collections.Counter('hand' if 'H' in c[4] else c[0] for c in cands)

    def ok_chars(s):
        return HAN.match(s) and all(ch in readings for ch in s)

    # Step 1: shape, and cores of long list phrases.
    s1 = []
    seen = set()
    for c in cands:
        src, w, r, exc, flags, _ = c
        hand = 'H' in flags
        origin = 'hand' if hand else src
        if len(w) != len(r) or len(w) < 2 or w == r:
            continue
        d = diffs(w, r)
        if not (len(d) == 1 or (hand and '2' in flags and len(d) == 2 and len(w) >= 4)):
            continue
        if not (ok_chars(w.strip('》')) and ok_chars(r.strip('》'))):
            continue
        if not hand and any(frozenset((w[i], r[i])) in SWAP for i in d):
            continue
        todo = [(c, origin)]
        if not hand and len(d) == 1 and len(w) >= 3:
            i = d[0]
            for lo in range(max(0, i - 5), i + 1):
                for hi in range(i + 1, min(len(r), lo + 6) + 1):
                    if hi - lo >= 2 and (hi - lo) < len(r) and jieba.get(r[lo:hi], 0) >= 50:
                        todo.append(([src, w[lo:hi], r[lo:hi], [], '', w], src + ' core'))
        for t, o in todo:
            key = (t[1], t[2])
            origins[key].add(o)
            if key in seen:
                continue
            seen.add(key)
            stage[key] = 1
            s1.append(t)

    forms = {t[1] for t in s1} | {t[2] for t in s1}
    excepts = {t[1]: t[3] for t in s1 if t[3]}
    for w, ctx in EXTRA_EXCEPT.items():
        excepts[w] = excepts.get(w, []) + ctx
    raw, bare, samples, chars = scan(a.corpus, forms, excepts)
    total_chars = sum(n for ch, n in chars.items() if '\u4e00' <= ch <= '\u9fff')

    # Words of jieba (count 3+) by the substrings they hold.
    holders = collections.defaultdict(list)
    wrongs = {t[1] for t in s1}
    lens = {len(x) for x in wrongs}
    for word, n in jieba.items():
        if n < 3:
            continue
        for L in lens:
            for i in range(len(word) - L + 1):
                s = word[i:i + L]
                if s in wrongs and s != word:
                    holders[s].append(word)

    review, keep = [], []
    for t in s1:
        src, w, r, exc, flags, parent = t
        hand = 'H' in flags
        key = (w, r)
        d = diffs(w, r)
        exc = list(exc) + EXTRA_EXCEPT.get(w, [])
        row = dict(src=src, wrong=w, right=r, parent=parent, raw=raw[w], bare=bare[w], rightn=raw[r],
                   jr=jieba.get(r, 0), jw=jieba.get(w, 0), samples=' / '.join(samples[w]))
        verdict = ''
        # 2: the right form is real text.
        def known(x):
            return raw[x] > 0 or jieba.get(x, 0) >= 50
        # A hand phrase (flag p: 登录系统) is known by its changed word.
        if not (known(r) or 'p' in flags and any(
                jieba.get(r[lo:hi], 0) >= 50 for lo in range(d[0] + 1) for hi in range(d[0] + 1, len(r) + 1) if hi - lo >= 2)):
            verdict = '2 right unknown'
        else:
            stage[key] = 2
        # 3: the wrong form never in clean text.
        if verdict:
            pass
        elif (bare[w] - ACCEPT.get(w, 0) if hand else raw[w]) > 0:
            verdict = '3 in corpus'
        else:
            stage[key] = 3
            # 4: jieba.
            need = []
            for word in holders.get(w, []):
                if word.replace(w, r) in jieba or any(e in word and w in e for e in exc) or covered(word, word.find(w), w, exc):
                    continue
                need.append(word)
            if w in jieba and not (hand and '!' in flags):
                verdict = '4 jieba word'
            elif need and (not hand and len(need) > (1 if len(w) == 2 else 2)):
                verdict = '4 in jieba words: ' + '|'.join(need[:6])
            else:
                # A HAND row's contexts are its own: the jieba words holding
                # its wrong form were looked at and are the slip itself
                # (倍受青睐, 团结拼博, 欢渡佳节) or are listed by hand.
                if hand:
                    row['holders'] = '|'.join(need)
                else:
                    exc += need
                stage[key] = 4
                # 5: short forms.
                if len(w) == 2:
                    i = d[0]
                    sound = bool(readings.get(w[i], set()) & readings.get(r[i], set()))
                    shape = frozenset((w[i], r[i])) in lookalike
                    row['sim'] = ('sound' if sound else '') + ('shape' if shape else '')
                    exp = chars[w[0]] * chars[w[1]] / max(total_chars, 1)
                    row['expected'] = round(exp, 1)
                    if not (sound or shape or hand):
                        verdict = '5 not alike'
                    elif raw[r] < 5 and not hand:
                        verdict = '5 right rare in the corpora'
                    elif chars[w[i]] < 50 and not hand:
                        verdict = '5 rare character'
                if not verdict:
                    stage[key] = 5
                    # 6: variants.
                    var = False
                    for p, v in variants:
                        j = r.find(p)
                        while j >= 0:
                            if w[j:j + len(v)] == v and len(p) == len(v) and j <= d[0] < j + len(p):
                                var = True
                            j = r.find(p, j + 1)
                    if var:
                        verdict = '6 variant'
                    else:
                        stage[key] = 6
                        if w in DROP:
                            verdict = 'drop: ' + DROP[w]
                        elif len(w) == 2 and not hand and w not in KEEP2:
                            verdict = 'drop: two characters, not kept in the hand look'
                        else:
                            stage[key] = 7
                            verdict = 'keep'
                            keep.append([src, w, r, exc, flags, parent])
        row['verdict'] = verdict
        row['except'] = '|'.join(exc)
        review.append(row)

    # Other rule files: a wrong form overlapping one of their terms is left
    # to them (中国共产常 is serious error S005).
    others = set()
    for fn in ('serious.tsv', 'obsolete.tsv', 'laws.tsv', 'sensitive.tsv'):
        for line in open(os.path.join(rules_dir, fn), encoding='utf-8'):
            f = line.rstrip('\n').split('\t')
            if not line.startswith('#') and len(f) > 1:
                others.update(t.strip('《》') for t in f[1].split('|') if t)

    # Already covered: an existing row's wrong form inside, or a shorter
    # new wrong form inside at the same change.
    new = []
    kw = {k[1] for k in keep}
    for k in sorted(keep, key=lambda k: (len(k[1]), k[1])):
        src, w, r = k[0], k[1], k[2]
        if w in existing_terms or any(t in w for t in existing_terms) or any(t in w or w in t for t in others):
            continue
        i = diffs(w, r)[0]
        if any(o != w and o in w and any(w.find(o, j) == j for j in range(max(0, i - len(o) + 1), i + 1)) for o in kw):
            continue
        new.append(k)
        stage[(w, r)] = 8

    # Per source: its pairs (each counted once per source) passing each step.
    tally = collections.defaultdict(collections.Counter)
    for key, os_ in origins.items():
        for o in os_:
            for j in range(1, stage[key] + 1):
                tally[o][steps[j]] += 1
    print('%-20s' % 'source' + ''.join('%10s' % s for s in steps), file=sys.stderr)
    for src in sorted(set(listed_n) | set(tally)):
        print('%-20s' % src + '%10s' % (listed_n.get(src) or '') + ''.join('%10d' % tally[src][s] for s in steps[1:]), file=sys.stderr)
    print('new rows: %d (kept by source: %s)' % (len(new), dict(collections.Counter(k[0] for k in new))), file=sys.stderr)

    if a.review:
        cols = ['verdict', 'src', 'wrong', 'right', 'except', 'parent', 'raw', 'bare', 'rightn', 'jr', 'jw', 'sim', 'expected', 'samples', 'holders']
        with open(a.review, 'w', encoding='utf-8') as fh:
            fh.write('\t'.join(cols) + '\n')
            for row in review:
                fh.write('\t'.join(str(row.get(c, '')) for c in cols) + '\n')

    rows = [(k[1], k[2], '|'.join(dict.fromkeys(k[3])), k[0]) for k in sorted(new, key=lambda k: (k[0] != 'hand', k[0], k[2], k[1]))]
    if not a.write:
        for w, r, e, s in rows:
            print(f'{w}\t{r}\t{e}\t{s}')
        return
    n = max(int(re.sub(r'\D', '', f[0]) or 0) for f in existing)
    with open(a.typos, 'a', encoding='utf-8') as fh:
        for w, r, e, s in rows:
            n += 1
            fh.write(f'T{n:03d}\t{w}\t{r}\t{e}\t{s}\n')


if __name__ == '__main__':
    main()
