"""Hand-written word lists for résumé fields and entities (written by us, not derived from any data set)."""

from __future__ import annotations

# The common Chinese surnames (about 200) plus compound surnames.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷"
    "盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷"
    "晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆"
    "乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平"
    "计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈"
    "湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "令狐")

# The 56 ethnic groups of China, as written before 族.
ETHNIC_GROUPS = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 "
    "柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 "
    "塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()

COUNTRIES = (
    "中国 中华人民共和国 美国 加拿大 澳大利亚 新西兰 英国 法国 德国 日本 韩国 新加坡 马来西亚 泰国 印度 俄罗斯 意大利 西班牙 "
    "荷兰 瑞士 瑞典 比利时 爱尔兰 巴西 菲律宾 印度尼西亚 越南 以色列 奥地利 丹麦 挪威 芬兰 葡萄牙 南非 阿根廷 墨西哥 "
    "中国香港 中国台湾 中国澳门 香港 台湾 澳门"
).split()

# Organisation name endings, longest first when matched.
ORG_SUFFIXES = tuple(sorted(
    (
        "股份有限公司 有限责任公司 有限公司 总公司 分公司 子公司 公司 集团 控股 银行 分行 支行 证券 信托 保险 基金 "
        "大学 学院 学校 中学 小学 党校 研究生院 研究院 研究所 研究中心 设计院 科学院 工程院 医院 "
        "委员会 协会 学会 商会 联合会 基金会 办公厅 办公室 事务所 中心 工厂 分厂 厂 矿 局 厅 署 部 处 委 站 所 社 "
        "政府 法院 检察院 人大 政协 军区 分区 舰队 部队 合作社 报社 出版社 电视台 电台 馆 院 系 "
        "Inc. Inc Ltd. Ltd Co. Corp. Corporation Company Group Bank University College Institute"
    ).split(),
    key=len,
    reverse=True,
))

# Heads that end a job title; modifiers (副/总/高级/财务部 …) before them belong to the title.
TITLE_HEADS = tuple(sorted(
    (
        "董事长 董事 监事会主席 监事长 监事 总经理 经理 总裁 总监 主管 主任 副主任 书记 委员 主席 会长 理事长 理事 秘书长 秘书 "
        "行长 厂长 矿长 局长 处长 科长 部长 院长 所长 校长 组长 队长 站长 段长 工段长 社长 台长 馆长 司令员 政委 参谋 "
        "工程师 会计师 经济师 审计师 统计师 律师 建筑师 设计师 分析师 架构师 规划师 药师 医师 农艺师 评估师 咨询师 精算师 "
        "教授 讲师 研究员 助理研究员 副研究员 导师 博士生导师 硕士生导师 教师 专家 学者 顾问 合伙人 负责人 代表 "
        "编辑 记者 主编 护士 医生 会计 出纳 审计 审计员 科员 技术员 干事 助理 专员 业务员 操作员 实习生 开发工程师 程序员 产品经理 运营 "
        "CEO CFO CTO COO CIO VP Engineer Manager Director Analyst Developer Designer Consultant Intern Scientist"
    ).split(),
    key=len,
    reverse=True,
))

DEGREE_WORDS: tuple[tuple[str, str], ...] = (
    ("博士后", "博士后"), ("博士研究生", "博士"), ("博士", "博士"), ("Ph.D", "博士"), ("PhD", "博士"), ("Doctor", "博士"),
    ("硕士研究生", "硕士"), ("在职研究生", "硕士"), ("研究生", "硕士"), ("硕士", "硕士"), ("EMBA", "硕士"), ("MBA", "硕士"),
    ("Master", "硕士"), ("M.S", "硕士"), ("M.Sc", "硕士"), ("M.Eng", "硕士"),
    ("本科", "本科"), ("学士", "本科"), ("Bachelor", "本科"), ("B.S", "本科"), ("B.Sc", "本科"), ("B.Eng", "本科"),
    ("B.E", "本科"), ("B.A", "本科"),
    ("大专", "大专"), ("专科", "大专"), ("高职", "大专"), ("Associate", "大专"),
    ("中专", "中专"), ("高中", "高中"),
)
DEGREE_RANK = {"高中": 0, "中专": 1, "大专": 2, "本科": 3, "硕士": 4, "博士": 5, "博士后": 6}

# Verbs that open a strong bullet point, and the weak openings worth replacing.
ACTION_VERBS = (
    "主导 负责 牵头 带领 组建 设计 开发 搭建 实现 优化 重构 推动 推进 完成 交付 上线 建立 制定 策划 组织 协调 管理 "
    "提升 降低 减少 增加 节省 缩短 获得 赢得 拓展 签约 发表 申请 主持 承担 攻克 改进 部署 迁移 分析 撰写 培训 指导"
).split()
WEAK_OPENINGS = ("参与", "协助", "帮助", "配合", "跟进", "接触过", "了解", "打杂", "辅助", "学习了", "做了", "进行了")
VAGUE_DUTY_WORDS = ("相关工作", "日常工作", "其他工作", "等工作", "一些工作", "各项工作", "若干", "领导交办", "其他事项")
